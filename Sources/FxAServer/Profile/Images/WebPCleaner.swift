/// WebP: a RIFF container of chunks. Drops the `EXIF` and `XMP ` chunks,
/// clears their flags in the extended header (`VP8X`) and rewrites the RIFF
/// size; the image chunks are copied as they are.
enum WebPCleaner {
    static let dropped: Set<String> = ["EXIF", "XMP "]
    /// VP8X flag bits for EXIF and XMP.
    static let metadataFlags: UInt8 = 0x08 | 0x04

    static func clean(_ bytes: [UInt8]) throws(AvatarImageProblem) -> (width: Int, height: Int, bytes: [UInt8]) {
        let reader = ByteReader(bytes: bytes)
        let riffSize = try reader.littleEndian32(4)
        guard riffSize >= 4, riffSize <= bytes.count - 8 else { throw .malformed }
        let end = 8 + riffSize
        var chunks: [UInt8] = []
        var offset = 12
        var size: (Int, Int)?
        while offset < end {
            let fourCC = try reader.ascii(offset, 4)
            let length = try reader.littleEndian32(offset + 4)
            let padded = 8 + length + (length & 1)
            guard padded <= end - offset else { throw .malformed }
            var chunk = Array(try reader.slice(offset, padded))
            let data = offset + 8
            switch fourCC {
            case "VP8X":
                guard length >= 10 else { throw .malformed }
                chunk[8] &= ~metadataFlags
                size = (try reader.littleEndian24(data + 4) + 1, try reader.littleEndian24(data + 7) + 1)
            case "VP8 " where size == nil:
                guard length >= 10, try reader.slice(data + 3, 3) == [0x9D, 0x01, 0x2A] else { throw .malformed }
                size = (try reader.littleEndian16(data + 6) & 0x3FFF, try reader.littleEndian16(data + 8) & 0x3FFF)
            case "VP8L" where size == nil:
                guard length >= 5, try reader.byte(data) == 0x2F else { throw .malformed }
                let bits = try reader.littleEndian32(data + 1)
                size = ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
            default:
                break
            }
            if !dropped.contains(fourCC) { chunks += chunk }
            offset += padded
        }
        guard let (width, height) = size else { throw .malformed }
        let newSize = UInt32(4 + chunks.count)
        var output = Array("RIFF".utf8)
        output += withUnsafeBytes(of: newSize.littleEndian) { Array($0) }
        output += Array("WEBP".utf8)
        output += chunks
        return (width, height, output)
    }
}
