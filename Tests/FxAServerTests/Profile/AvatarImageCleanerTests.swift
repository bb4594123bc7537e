import FxACore
import Foundation
import Testing
@testable import FxAServer

@Suite("Avatar images: structure, dimensions and metadata")
struct AvatarImageCleanerTests {
    static let secrets = ["SecretCam", "GPS-LEAK", "secret text", "Ada", "gif secret", "a comment", "Exif"]

    @Test(arguments: [
        ("jpeg", AvatarFixtures.jpeg, AvatarImageType.jpeg, 3, 2),
        ("progressive jpeg", AvatarFixtures.progressiveJPEG, .jpeg, 16, 16),
        ("png", AvatarFixtures.png, .png, 3, 2),
        ("gif", AvatarFixtures.gif, .gif, 3, 2),
        ("animated gif", AvatarFixtures.animatedGIF, .gif, 4, 4),
        ("lossless webp", AvatarFixtures.webp, .webp, 3, 2),
        ("lossy webp", AvatarFixtures.webpLossy, .webp, 3, 2),
    ])
    func metadataIsRemovedAndTheImageKept(_ name: String, _ data: Data, _ type: AvatarImageType, _ width: Int, _ height: Int) throws {
        let clean = try AvatarImageCleaner.clean(data)
        #expect(clean.type == type)
        #expect(clean.width == width && clean.height == height, "\(name): \(clean.width)x\(clean.height)")
        let text = String(decoding: clean.bytes, as: UTF8.self)
        for secret in Self.secrets {
            #expect(!text.contains(secret), "\(name) still holds \(secret)")
        }
        #expect(clean.bytes.count <= data.count)
        // Cleaning is idempotent: a clean image passes through unchanged.
        #expect(try AvatarImageCleaner.clean(clean.bytes) == clean, "\(name)")
    }

    /// What cameras put around the picture: a multi-picture index in APP2,
    /// and a preview or a motion-photo video after the end of the image.
    @Test func jpegTrailersAndNonColourAPP2AreRemoved() throws {
        var bytes = [UInt8](AvatarFixtures.jpeg)
        let mpf: [UInt8] = [0xFF, 0xE2, 0x00, 0x10] + Array("MPF\0GPS-LEAK-1".utf8)
        bytes.insert(contentsOf: mpf, at: 2)
        bytes += Array("ftypmp42 MOTION-PHOTO GPS-LEAK-2".utf8)
        let clean = try AvatarImageCleaner.clean(Data(bytes))
        let text = String(decoding: clean.bytes, as: UTF8.self)
        #expect(!text.contains("GPS-LEAK"))
        #expect(clean.bytes.suffix(2) == Data([0xFF, 0xD9]))
        #expect(clean.width == 3 && clean.height == 2)
    }

    @Test func aGIFFrameLargerThanItsScreenIsRefused() {
        var gif = [UInt8](AvatarFixtures.gif)
        // The first image descriptor follows the header and the global colour table.
        let flags = Int(gif[10])
        let descriptor = 13 + (flags & 0x80 != 0 ? 3 << ((flags & 0x07) + 1) : 0)
        var position = descriptor
        while gif[position] == 0x21 {  // skip extensions before the image
            position += 2
            while gif[position] != 0 { position += Int(gif[position]) + 1 }
            position += 1
        }
        #expect(gif[position] == 0x2C)
        gif[position + 5] = 0xFF  // frame width 65535
        gif[position + 6] = 0xFF
        #expect(throws: AvatarImageProblem.malformed) { try AvatarImageCleaner.clean(Data(gif)) }
    }

    @Test func theAnimationLoopOfAGIFIsKept() throws {
        let clean = try AvatarImageCleaner.clean(AvatarFixtures.animatedGIF)
        #expect(String(decoding: clean.bytes, as: UTF8.self).contains("NETSCAPE2.0"))
    }

    @Test func aWebPsSizeAndFlagsAreRewritten() throws {
        let clean = try AvatarImageCleaner.clean(AvatarFixtures.webp)
        let bytes = [UInt8](clean.bytes)
        let riffSize = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
        #expect(riffSize == bytes.count - 8)
        if let vp8x = clean.bytes.range(of: Data("VP8X".utf8)) {
            #expect(bytes[vp8x.lowerBound + 8] & 0x0C == 0, "EXIF/XMP flags cleared")
        }
    }

    @Test func truncatedImagesAreRefused() {
        for (name, data) in [("png", AvatarFixtures.png), ("gif", AvatarFixtures.gif), ("webp", AvatarFixtures.webp)] {
            for cut in [12, 20, data.count / 2, data.count - 1] {
                #expect(throws: AvatarImageProblem.malformed, "\(name) cut at \(cut)") {
                    try AvatarImageCleaner.clean(data.prefix(cut))
                }
            }
        }
        // A JPEG cut inside its headers, before the first scan.
        #expect(throws: AvatarImageProblem.malformed) { try AvatarImageCleaner.clean(AvatarFixtures.jpeg.prefix(40)) }
        #expect(throws: AvatarImageProblem.malformed) { try AvatarImageCleaner.clean(Data([0xFF, 0xD8, 0xFF, 0xD9])) }
        #expect(throws: AvatarImageProblem.unsupportedType) { try AvatarImageCleaner.clean(Data("<svg/>".utf8)) }
    }

    @Test func hugeDimensionsAreRefusedWhateverTheFileSize() {
        var png = [UInt8](AvatarFixtures.png)
        png[16...19] = [0, 0, 0x13, 0x88]  // IHDR width 5000
        #expect(throws: AvatarImageProblem.tooLarge(width: 5000, height: 2)) { try AvatarImageCleaner.clean(Data(png)) }
        var gif = [UInt8](AvatarFixtures.gif)
        gif[8...9] = [0x88, 0x13]  // screen height 5000
        #expect(throws: AvatarImageProblem.tooLarge(width: 3, height: 5000)) { try AvatarImageCleaner.clean(Data(gif)) }
        var zero = [UInt8](AvatarFixtures.png)
        zero[16...19] = [0, 0, 0, 0]
        #expect(throws: AvatarImageProblem.malformed) { try AvatarImageCleaner.clean(Data(zero)) }
    }
}
