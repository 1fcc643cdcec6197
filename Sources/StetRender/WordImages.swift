/// Images embedded in a Word file: PNG, JPEG and GIF (the raster formats every Word reads), each
/// a part under `word/media/` with its relationship, drawn inline at its size (narrowed to the
/// text width).
struct WordImages {
    struct Image {
        var path: String
        var bytes: [UInt8]
        var contentType: String
        var relationship: String
    }

    private(set) var images: [Image] = []
    private var byPath: [String: Int] = [:]

    /// The text width of an A4 page with its margins, in EMU (English Metric Units).
    static let textWidth = 5_760_720

    /// The drawing that shows the image at `path` with its description; nil when the bytes are
    /// no PNG, JPEG or GIF whose size can be read.
    mutating func drawing(path: String, bytes: [UInt8], description: String, id: Int) -> String? {
        guard let (type, width, height) = Self.format(bytes), width > 0, height > 0 else { return nil }
        let index: Int
        if let known = byPath[path] {
            index = known
        } else {
            let name = "image\(images.count + 1).\(type)"
            images.append(Image(path: "media/" + name, bytes: bytes, contentType: type == "jpg" ? "image/jpeg" : "image/" + type,
                                relationship: "rIdImage\(images.count + 1)"))
            index = images.count - 1
            byPath[path] = index
        }
        // 96 pixels to the inch, 914,400 EMU to the inch.
        var cx = width * 9525, cy = height * 9525
        if cx > Self.textWidth {
            cy = cy * Self.textWidth / cx
            cx = Self.textWidth
        }
        let alt = WordXML.escape(description)
        return "<w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"\(cx)\" cy=\"\(cy)\"/>"
            + "<wp:docPr id=\"\(id)\" name=\"Image \(id)\" descr=\"\(alt)\"/>"
            + "<a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">"
            + "<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
            + "<pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
            + "<pic:nvPicPr><pic:cNvPr id=\"\(id)\" name=\"Image \(id)\" descr=\"\(alt)\"/><pic:cNvPicPr/></pic:nvPicPr>"
            + "<pic:blipFill><a:blip r:embed=\"\(images[index].relationship)\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
            + "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"\(cx)\" cy=\"\(cy)\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>"
            + "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>"
    }

    /// The format ("png", "jpg", "gif") and size in pixels the bytes give.
    static func format(_ bytes: [UInt8]) -> (String, Int, Int)? {
        func big(_ at: Int, _ count: Int) -> Int { (0..<count).reduce(0) { $0 << 8 | Int(bytes[at + $1]) } }
        if bytes.count >= 24, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            return ("png", big(16, 4), big(20, 4))
        }
        if bytes.count >= 10, bytes.starts(with: Array("GIF8".utf8)) {
            return ("gif", Int(bytes[6]) | Int(bytes[7]) << 8, Int(bytes[8]) | Int(bytes[9]) << 8)
        }
        if bytes.count >= 4, bytes.starts(with: [0xFF, 0xD8]) {
            // The first start-of-frame marker holds the size.
            var index = 2
            while index + 9 < bytes.count, bytes[index] == 0xFF {
                let marker = bytes[index + 1]
                let length = big(index + 2, 2)
                if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC {
                    return ("jpg", big(index + 7, 2), big(index + 5, 2))
                }
                index += 2 + length
            }
        }
        return nil
    }
}
