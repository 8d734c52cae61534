/// Helpers for names and references in XLSX parts.
enum XLSXNames {
    /// The local part of a (possibly prefixed) XML name, such as `row` for `x:row`.
    static func local(_ name: UnsafeRawBufferPointer) -> String {
        if let colon = name.lastIndex(of: UInt8(ascii: ":")) {
            return String(decoding: name[(colon + 1)...], as: UTF8.self)
        }
        return String(decoding: name, as: UTF8.self)
    }

    /// The value of the attribute whose local name is `localName` on the tokenizer's current element.
    static func attribute(_ localName: String, in attributes: [XMLTokenizer.Attribute]) -> String? {
        for attribute in attributes where local(attribute.name) == localName {
            return String(decoding: attribute.value, as: UTF8.self)
        }
        return nil
    }

    /// 0-based column index of a cell reference such as `B7` or `AA12`, or nil without letters.
    static func columnIndex(_ reference: UnsafeRawBufferPointer) -> Int? {
        var value = 0
        var letters = 0
        for byte in reference {
            let upper = byte & 0xDF
            guard upper >= UInt8(ascii: "A"), upper <= UInt8(ascii: "Z") else { break }
            value = value * 26 + Int(upper - UInt8(ascii: "A") + 1)
            letters += 1
            if letters > 4 { return nil }
        }
        return letters > 0 ? value - 1 : nil
    }

    /// Column letters for a 0-based index: 0 → `A`, 26 → `AA`.
    static func columnLetters(_ index: Int) -> String {
        var number = index + 1
        var scalars: [Character] = []
        while number > 0 {
            let remainder = (number - 1) % 26
            scalars.append(Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8(remainder))))
            number = (number - 1) / 26
        }
        return String(scalars.reversed())
    }

    /// An archive path for a relationship target, relative to `xl/` unless absolute.
    static func resolve(target: String, base: String = "xl/") -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : base.split(separator: "/")
        for component in target.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(component)
            }
        }
        return parts.joined(separator: "/")
    }
}
