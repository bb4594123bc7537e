/// JPEG: marker segments from SOI to the first start-of-scan, then the
/// compressed data. Drops the metadata segments before the scan: APP1 (EXIF
/// with GPS, XMP), APP3–APP13 and APP15 (IPTC, Photoshop, vendor data) and
/// comments. Keeps APP0 (JFIF), APP2 (the ICC colour profile) and APP14
/// (Adobe, which says how to read the colours).
enum JPEGCleaner {
    static let keptApplicationSegments: Set<Int> = [0xE0, 0xE2, 0xEE]
    /// Start-of-frame markers, which carry the dimensions (not DHT, JPG, DAC).
    static let startOfFrame: Set<Int> = [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF]

    static func clean(_ bytes: [UInt8]) throws(AvatarImageProblem) -> (width: Int, height: Int, bytes: [UInt8]) {
        let reader = ByteReader(bytes: bytes)
        var output: [UInt8] = [0xFF, 0xD8]
        var offset = 2
        var size: (Int, Int)?
        while true {
            guard try reader.byte(offset) == 0xFF else { throw .malformed }
            let marker = try reader.byte(offset + 1)
            if marker == 0xFF { offset += 1; continue }  // fill byte
            if marker == 0x01 || (0xD0...0xD7).contains(marker) {  // no length
                output += [0xFF, UInt8(marker)]
                offset += 2
                continue
            }
            if marker == 0xD9 { throw .malformed }  // end of image before any scan
            let length = try reader.bigEndian16(offset + 2)
            guard length >= 2 else { throw .malformed }
            let segment = try reader.slice(offset, 2 + length)
            if startOfFrame.contains(marker) {
                size = (try reader.bigEndian16(offset + 7), try reader.bigEndian16(offset + 5))
            }
            if marker == 0xDA {
                // Start of scan: the rest is image data (and, in a progressive
                // JPEG, further tables and scans), copied as it is.
                guard size != nil else { throw .malformed }
                output += bytes[offset...]
                break
            }
            let isMetadata = ((0xE0...0xEF).contains(marker) && !keptApplicationSegments.contains(marker)) || marker == 0xFE
            if !isMetadata { output += segment }
            offset += 2 + length
        }
        guard let (width, height) = size else { throw .malformed }
        return (width, height, output)
    }
}
