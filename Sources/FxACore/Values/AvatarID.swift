import Foundation

/// The id of an uploaded avatar image: 16 random bytes, 32 hex characters,
/// as FxA's profile server names them. Random, so an avatar URL reveals
/// nothing about whose it is and cannot be guessed from another.
public struct AvatarID: FixedLengthHex {
    public static let byteCount = 16
    public let bytes: Data
    public init(uncheckedBytes: Data) { bytes = uncheckedBytes }
}

/// The image formats an avatar may be. The server decides the format from
/// the bytes themselves, never from the uploader's `Content-Type`, and serves
/// the image with this type, so a file that is not one of these never
/// reaches a browser from our origin.
public enum AvatarImageType: String, Sendable, Codable, CaseIterable {
    case png = "image/png"
    case jpeg = "image/jpeg"
    case gif = "image/gif"
    case webp = "image/webp"

    /// The MIME type, as stored and served.
    public var mimeType: String { rawValue }

    /// The format the bytes start with, by their signature (magic number);
    /// `nil` for anything else.
    public init?(sniffing bytes: Data) {
        let head = [UInt8](bytes.prefix(12))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + signature.count && Array(head[offset..<offset + signature.count]) == signature
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if starts([0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) {
            self = .gif
        } else if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) {
            self = .webp
        } else {
            return nil
        }
    }
}
