/// JPEG: marker segments from SOI to EOI, with entropy-coded data after each
/// start-of-scan. Every segment, before and between scans (progressive
/// JPEGs interleave tables and scans), goes through the same rule: kept
/// are the tables and frame and scan headers, APP0 (JFIF, without its
/// thumbnail), APP2 only when it is an ICC colour profile, APP14 only when it
/// is Adobe's colour-transform flag; dropped are every other APPn (EXIF with
/// GPS, XMP, IPTC, multi-picture indexes, vendor data) and comments.
/// Anything after EOI (multi-picture previews, motion-photo videos) is
/// dropped.
enum JPEGCleaner {
    /// Start-of-frame markers, which carry the dimensions (not DHT, JPG, DAC).
    static let startOfFrame: Set<Int> = [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF]

    static func clean(_ bytes: [UInt8]) throws(AvatarImageProblem) -> (width: Int, height: Int, bytes: [UInt8]) {
        let reader = ByteReader(bytes: bytes)
        var output: [UInt8] = [0xFF, 0xD8]
        output.reserveCapacity(bytes.count)
        var offset = 2
        var size: (Int, Int)?
        while true {
            guard try reader.byte(offset) == 0xFF else { throw .malformed }
            let marker = try reader.byte(offset + 1)
            if marker == 0xFF { offset += 1; continue }  // fill byte
            if marker == 0xD9 {  // end of image: nothing after it is kept
                guard size != nil else { throw .malformed }
                output += [0xFF, 0xD9]
                return (size!.0, size!.1, output)
            }
            if marker == 0x01 || (0xD0...0xD7).contains(marker) {  // no length
                output += [0xFF, UInt8(marker)]
                offset += 2
                continue
            }
            let length = try reader.bigEndian16(offset + 2)
            guard length >= 2 else { throw .malformed }
            let segment = try reader.slice(offset, 2 + length)
            if startOfFrame.contains(marker) {
                size = (try reader.bigEndian16(offset + 7), try reader.bigEndian16(offset + 5))
            }
            if let kept = try keep(marker: marker, segment: segment, reader: reader, offset: offset) { output += kept }
            offset += 2 + length
            if marker == 0xDA {
                // Entropy-coded data: copied up to the next real marker.
                // 0xFF 0x00 is a stuffed 0xFF and restart markers belong to it.
                guard size != nil else { throw .malformed }
                let start = offset
                while true {
                    guard offset + 1 < bytes.count else { throw .malformed }
                    if bytes[offset] == 0xFF {
                        let next = bytes[offset + 1]
                        if next != 0x00 && !(0xD0...0xD7).contains(next) && next != 0xFF { break }
                        offset += next == 0xFF ? 1 : 2
                    } else {
                        offset += 1
                    }
                }
                output += bytes[start..<offset]
            }
        }
    }

    /// The segment as it should stay, or `nil` to drop it.
    private static func keep(
        marker: Int, segment: ArraySlice<UInt8>, reader: ByteReader, offset: Int
    ) throws(AvatarImageProblem) -> [UInt8]? {
        func startsWith(_ signature: String) -> Bool {
            segment.dropFirst(4).starts(with: Array(signature.utf8))
        }
        switch marker {
        case 0xE0:
            // JFIF: keep the 14-byte header with no thumbnail (a thumbnail may
            // show the picture before it was cropped). JFXX and others: drop.
            guard startsWith("JFIF\0"), segment.count >= 18 else { return nil }
            var header = Array(segment.prefix(18))
            header[2] = 0
            header[3] = 16
            header[16] = 0
            header[17] = 0
            return header
        case 0xE2: return startsWith("ICC_PROFILE\0") ? Array(segment) : nil
        case 0xEE: return startsWith("Adobe") ? Array(segment) : nil
        case 0xE1, 0xE3...0xED, 0xEF, 0xFE: return nil
        default: return Array(segment)
        }
    }
}
