/// Vapor integration of the RP kit: routes for login, callback, logout and
/// webhook (``FxARoutes``), the signed-in ``FxAUser`` (``FxAUserMiddleware``),
/// and GDPR hygiene on provider events (``FxAEventHandler``). Re-exports
/// `FxAClient` so a Vapor app needs one import.
@_exported import FxAClient
