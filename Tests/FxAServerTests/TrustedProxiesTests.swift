import FxAServer
import Testing

/// Behind a reverse proxy, the client is the address the trusted proxies
/// forwarded for, never one the client wrote itself.
@Suite("Trusted proxies and X-Forwarded-For")
struct TrustedProxiesTests {
    @Test func rangesOfBothFamiliesMatchByPrefix() throws {
        let v4 = try #require(IPAddressRange("10.0.0.0/8"))
        #expect(v4.contains("10.200.3.4") && !v4.contains("11.0.0.1") && !v4.contains("::1"))
        #expect(v4.contains("::ffff:10.1.2.3"), "an IPv4 peer written as IPv6")
        let single = try #require(IPAddressRange("127.0.0.1"))
        #expect(single.contains("127.0.0.1") && !single.contains("127.0.0.2"))
        let v6 = try #require(IPAddressRange("fd00::/8"))
        #expect(v6.contains("fd12:3456::1") && !v6.contains("fe80::1") && !v6.contains("10.0.0.1"))
        #expect(try #require(IPAddressRange("10.0.0.0/12")).contains("10.15.255.255"))
        #expect(!(try #require(IPAddressRange("10.0.0.0/12")).contains("10.16.0.0")))
        for bad in ["", "10.0.0.0/33", "10.0.0/8", "example.org", "::1/129", "10.0.0.0/-1", "10.0.0.0/8/8"] {
            #expect(IPAddressRange(bad) == nil, "\(bad)")
        }
        #expect(TrustedProxies(configuration: "127.0.0.1, 10.0.0.0/8") != nil)
        #expect(TrustedProxies(configuration: "127.0.0.1,proxy.local") == nil)
    }

    @Test func theClientIsTheRightMostAddressNoTrustedProxyStandsFor() throws {
        let proxies = try #require(TrustedProxies(configuration: "127.0.0.1,10.0.0.0/8"))
        // A direct request: the header is the client's own words.
        #expect(proxies.clientAddress(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"]) == "203.0.113.9")
        // Through the proxy on this machine.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.9"]) == "203.0.113.9")
        // A forged entry to the left is ignored; two proxies are skipped.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["6.6.6.6, 203.0.113.9, 10.1.1.1"]) == "203.0.113.9")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["6.6.6.6", "203.0.113.9"]) == "203.0.113.9",
                "several headers read as one list")
        // Nothing forwarded, or garbage: the proxy itself.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["unknown"]) == "127.0.0.1")
        #expect(TrustedProxies().clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.9"]) == "127.0.0.1",
                "no proxy trusted: no header believed")
    }
}
