/// Vapor integration of the RP kit: routes for login, callback, logout and
/// webhook, built on ``FxAClient``. Re-exported so a Vapor app needs one
/// import.
@_exported import FxAClient
