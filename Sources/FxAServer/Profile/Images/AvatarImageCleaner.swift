import FxACore
import Foundation

/// What an uploaded avatar turned out to be, after cleaning.
struct CleanAvatarImage: Sendable, Equatable {
    let type: AvatarImageType
    let width: Int
    let height: Int
    /// The image without its metadata.
    let bytes: Data
}

/// Why an upload is not an acceptable avatar.
enum AvatarImageProblem: Error, Equatable {
    /// Not a PNG, JPEG, GIF or WebP by its signature.
    case unsupportedType
    /// The signature is right but the structure is broken or truncated.
    case malformed
    /// Wider or taller than ``AvatarImageCleaner/maximumDimension``.
    case tooLarge(width: Int, height: Int)
}

/// Checks an uploaded image's structure and removes its metadata without
/// re-encoding a pixel.
///
/// FxA's profile server re-encodes every avatar with GraphicsMagick, which
/// (among other things) drops what cameras and editors embed: EXIF with GPS
/// coordinates and the device, XMP, IPTC, comments, text chunks. Avatars are
/// public URLs, so that matters. With no image library here, this walks
/// each format's container and copies every block except the metadata ones,
/// which keeps the pixels bit-for-bit. It also reads the dimensions, so an
/// image that would expand to gigabytes in an RP's browser (a "decompression
/// bomb" fits in 1 MiB) is refused.
enum AvatarImageCleaner {
    /// Larger than any avatar is shown (FxA's largest rendition is 600 px).
    static let maximumDimension = 4096

    static func clean(_ data: Data) throws(AvatarImageProblem) -> CleanAvatarImage {
        guard let type = AvatarImageType(sniffing: data) else { throw .unsupportedType }
        let bytes = [UInt8](data)
        let cleaned: (width: Int, height: Int, bytes: [UInt8])
        switch type {
        case .png: cleaned = try PNGCleaner.clean(bytes)
        case .jpeg: cleaned = try JPEGCleaner.clean(bytes)
        case .gif: cleaned = try GIFCleaner.clean(bytes)
        case .webp: cleaned = try WebPCleaner.clean(bytes)
        }
        guard cleaned.width > 0, cleaned.height > 0 else { throw .malformed }
        guard cleaned.width <= maximumDimension, cleaned.height <= maximumDimension else {
            throw .tooLarge(width: cleaned.width, height: cleaned.height)
        }
        return CleanAvatarImage(type: type, width: cleaned.width, height: cleaned.height, bytes: Data(cleaned.bytes))
    }
}

/// Bounds-checked big- and little-endian reads over an image's bytes.
struct ByteReader {
    let bytes: [UInt8]

    func byte(_ offset: Int) throws(AvatarImageProblem) -> Int {
        guard offset >= 0, offset < bytes.count else { throw .malformed }
        return Int(bytes[offset])
    }

    func bigEndian16(_ offset: Int) throws(AvatarImageProblem) -> Int {
        try byte(offset) << 8 | byte(offset + 1)
    }

    func bigEndian32(_ offset: Int) throws(AvatarImageProblem) -> Int {
        try bigEndian16(offset) << 16 | bigEndian16(offset + 2)
    }

    func littleEndian16(_ offset: Int) throws(AvatarImageProblem) -> Int {
        try byte(offset) | byte(offset + 1) << 8
    }

    func littleEndian24(_ offset: Int) throws(AvatarImageProblem) -> Int {
        try littleEndian16(offset) | byte(offset + 2) << 16
    }

    func littleEndian32(_ offset: Int) throws(AvatarImageProblem) -> Int {
        try littleEndian16(offset) | littleEndian16(offset + 2) << 16
    }

    /// `bytes[start..<start+count]`, refusing to run past the end.
    func slice(_ start: Int, _ count: Int) throws(AvatarImageProblem) -> ArraySlice<UInt8> {
        guard start >= 0, count >= 0, start <= bytes.count, count <= bytes.count - start else { throw .malformed }
        return bytes[start..<start + count]
    }

    func ascii(_ start: Int, _ count: Int) throws(AvatarImageProblem) -> String {
        String(decoding: try slice(start, count), as: UTF8.self)
    }
}
