/// PNG: a signature, then chunks (`length`, `type`, data, CRC) up to IEND.
/// Drops the text and metadata chunks; keeps everything that draws the
/// image (IHDR, PLTE, IDAT, transparency, colour and gamma, APNG frames).
enum PNGCleaner {
    /// Text (`tEXt`, `zTXt`, `iTXt`), EXIF (`eXIf`) and the edit time.
    static let dropped: Set<String> = ["tEXt", "zTXt", "iTXt", "eXIf", "tIME"]

    static func clean(_ bytes: [UInt8]) throws(AvatarImageProblem) -> (width: Int, height: Int, bytes: [UInt8]) {
        let reader = ByteReader(bytes: bytes)
        var output = Array(try reader.slice(0, 8))
        var offset = 8
        var size: (Int, Int)?
        while true {
            let length = try reader.bigEndian32(offset)
            let type = try reader.ascii(offset + 4, 4)
            let chunk = try reader.slice(offset, 12 + length)
            if size == nil {
                guard type == "IHDR", length == 13 else { throw .malformed }
                size = (try reader.bigEndian32(offset + 8), try reader.bigEndian32(offset + 12))
            }
            if !dropped.contains(type) { output += chunk }
            offset += 12 + length
            if type == "IEND" { break }  // anything after it is not part of the image
        }
        guard let (width, height) = size else { throw .malformed }
        return (width, height, output)
    }
}
