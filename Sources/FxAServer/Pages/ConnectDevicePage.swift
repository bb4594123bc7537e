/// `/connect_another_device`, which Firefox opens from its menu: how to
/// point another Firefox at this server (the pref, and `allowHttp` for a
/// plain-http server) and sign it in with the same account.
struct ConnectDevicePage: RenderedPage {
    static let template = PageTemplate.connectDevice
    /// The server's public origin, the value of the pref.
    let origin: String

    var contentSecurityPolicy: ContentSecurityPolicy { .formPage() }

    struct Context: Encodable, Sendable {
        let title = "Connect another device"
        let origin: String
        let isHTTP: Bool
    }

    func context() -> Context {
        Context(origin: origin, isHTTP: origin.hasPrefix("http://"))
    }
}
