import Foundation

/// Random bytes from the operating system's CSPRNG, for every token, code,
/// salt and id the server makes.
///
/// `SystemRandomNumberGenerator` reads `getrandom(2)` on Linux and
/// `arc4random` on Apple platforms: both are cryptographically secure.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        var data = Data(count: count)
        for index in 0..<count {
            data[index] = UInt8.random(in: .min ... .max, using: &generator)
        }
        return data
    }
}
