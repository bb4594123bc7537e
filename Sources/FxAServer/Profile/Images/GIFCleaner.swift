/// GIF: a header and logical screen, an optional colour table, then blocks
/// (images, extensions) up to the trailer. Drops comment extensions and
/// application extensions other than the animation loop ones (XMP travels
/// in an application extension).
enum GIFCleaner {
    static let keptApplications: Set<String> = ["NETSCAPE2.0", "ANIMEXTS1.0"]

    static func clean(_ bytes: [UInt8]) throws(AvatarImageProblem) -> (width: Int, height: Int, bytes: [UInt8]) {
        let reader = ByteReader(bytes: bytes)
        let width = try reader.littleEndian16(6)
        let height = try reader.littleEndian16(8)
        let flags = try reader.byte(10)
        var offset = 13 + (flags & 0x80 != 0 ? 3 << ((flags & 0x07) + 1) : 0)
        var output = Array(try reader.slice(0, offset))

        /// The end of the data sub-blocks starting at `start` (after the 0 terminator).
        func subBlocksEnd(_ start: Int) throws(AvatarImageProblem) -> Int {
            var position = start
            while true {
                let size = try reader.byte(position)
                position += 1 + size
                if size == 0 { return position }
            }
        }

        while true {
            switch try reader.byte(offset) {
            case 0x3B:  // trailer
                output.append(0x3B)
                return (width, height, output)
            case 0x2C:  // image: descriptor, optional local colour table, LZW size, data
                // A frame outside the logical screen would make decoders that
                // grow the canvas (Chromium's does) bypass the size check.
                let left = try reader.littleEndian16(offset + 1)
                let top = try reader.littleEndian16(offset + 3)
                guard left + (try reader.littleEndian16(offset + 5)) <= width,
                      top + (try reader.littleEndian16(offset + 7)) <= height
                else { throw .malformed }
                let local = try reader.byte(offset + 9)
                let tableEnd = offset + 10 + (local & 0x80 != 0 ? 3 << ((local & 0x07) + 1) : 0)
                let end = try subBlocksEnd(tableEnd + 1)
                output += try reader.slice(offset, end - offset)
                offset = end
            case 0x21:  // extension: label, sub-blocks
                let label = try reader.byte(offset + 1)
                let end = try subBlocksEnd(offset + 2)
                var keep = label != 0xFE
                if label == 0xFF {
                    let size = try reader.byte(offset + 2)
                    let identifier = size == 11 ? try reader.ascii(offset + 3, 11) : ""
                    keep = keptApplications.contains(identifier)
                }
                if keep { output += try reader.slice(offset, end - offset) }
                offset = end
            default:
                throw .malformed
            }
        }
    }
}
