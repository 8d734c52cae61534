import YujingCore

/// A ``FieldCondition`` prepared for fast evaluation (sets, byte needles, compiled regex, parsed CIDR).
struct CompiledCondition {
    enum Test {
        case equalsOne(String)
        case equalsAny(Set<String>)
        case numberIn([Double])
        case notEquals(Set<String>)
        case notNumberIn([Double])
        case prefix([[UInt8]])
        case suffix([[UInt8]])
        case contains([[UInt8]])
        case regex(Regex<AnyRegexOutput>)
        case cidr([CIDRBlock])
        case exists(Bool)
        case compare(ComparisonOperator, Double)
    }

    let field: EventField
    let test: Test
    let ignoreCase: Bool

    init(_ condition: FieldCondition) {
        field = condition.field
        ignoreCase = condition.ignoreCase
        let fold: (String) -> String = condition.ignoreCase ? { $0.lowercased() } : { $0 }
        switch condition.test {
        case .equals(let values):
            let numbers = values.compactMap(Double.init)
            if condition.field.isNumeric, numbers.count == values.count {
                test = .numberIn(numbers)
            } else if values.count == 1, let only = values.first {
                test = .equalsOne(fold(only))
            } else {
                test = .equalsAny(Set(values.map(fold)))
            }
        case .notEquals(let values):
            let numbers = values.compactMap(Double.init)
            if condition.field.isNumeric, numbers.count == values.count {
                test = .notNumberIn(numbers)
            } else {
                test = .notEquals(Set(values.map(fold)))
            }
        case .prefix(let values): test = .prefix(values.map { Array(fold($0).utf8) })
        case .suffix(let values): test = .suffix(values.map { Array(fold($0).utf8) })
        case .contains(let values): test = .contains(values.map { Array(fold($0).utf8) })
        case .regex(let pattern):
            // Validated by the loader; an invalid pattern built in code matches nothing.
            if let regex = try? Regex(pattern) {
                test = .regex(condition.ignoreCase ? regex.ignoresCase() : regex)
            } else {
                test = .exists(false)
            }
        case .cidr(let blocks): test = .cidr(blocks.compactMap(CIDRBlock.init))
        case .exists(let flag): test = .exists(flag)
        case .compare(let op, let number): test = .compare(op, number)
        }
    }

    @inline(__always)
    func holds(_ event: EngineEvent) -> Bool {
        let value = event.value(of: field)
        guard let value else {
            switch test {
            case .exists(let flag): return !flag
            case .notEquals, .notNumberIn: return true
            default: return false
            }
        }
        switch test {
        case .exists(let flag): return flag
        case .equalsOne(let expected):
            return ignoreCase ? value.text.lowercased() == expected : value.text == expected
        case .equalsAny(let set): return set.contains(ignoreCase ? value.text.lowercased() : value.text)
        case .numberIn(let numbers):
            guard let number = value.number else { return false }
            return numbers.contains(number)
        case .notEquals(let set): return !set.contains(ignoreCase ? value.text.lowercased() : value.text)
        case .notNumberIn(let numbers):
            guard let number = value.number else { return true }
            return !numbers.contains(number)
        case .compare(let op, let rhs):
            guard let number = value.number else { return false }
            return op.holds(number, rhs)
        case .prefix(let needles):
            return TextSearch.withBytes(value.text) { TextSearch.hasPrefix($0, needles, ignoreCase) }
        case .suffix(let needles):
            return TextSearch.withBytes(value.text) { TextSearch.hasSuffix($0, needles, ignoreCase) }
        case .contains(let needles):
            return TextSearch.withBytes(value.text) { TextSearch.contains($0, needles, ignoreCase) }
        case .regex(let regex):
            return (try? regex.firstMatch(in: value.text)) != nil
        case .cidr(let blocks):
            guard let address = IPAddressText.parse(Substring(value.text)) else { return false }
            return blocks.contains { $0.contains(address) }
        }
    }
}

/// Allocation-free byte searches with optional ASCII case folding (needles are already folded).
enum TextSearch {
    @inline(__always)
    static func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return body(UnsafeBufferPointer(start: nil, count: 0))
    }

    @inline(__always)
    static func fold(_ byte: UInt8, _ ignoreCase: Bool) -> UInt8 {
        ignoreCase && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    static func matches(_ b: UnsafeBufferPointer<UInt8>, at start: Int, _ needle: [UInt8], _ ignoreCase: Bool) -> Bool {
        guard start >= 0, start + needle.count <= b.count else { return false }
        var k = 0
        while k < needle.count {
            guard fold(b[start + k], ignoreCase) == needle[k] else { return false }
            k += 1
        }
        return true
    }

    static func hasPrefix(_ b: UnsafeBufferPointer<UInt8>, _ needles: [[UInt8]], _ ignoreCase: Bool) -> Bool {
        needles.contains { matches(b, at: 0, $0, ignoreCase) }
    }

    static func hasSuffix(_ b: UnsafeBufferPointer<UInt8>, _ needles: [[UInt8]], _ ignoreCase: Bool) -> Bool {
        needles.contains { matches(b, at: b.count - $0.count, $0, ignoreCase) }
    }

    static func contains(_ b: UnsafeBufferPointer<UInt8>, _ needles: [[UInt8]], _ ignoreCase: Bool) -> Bool {
        for needle in needles {
            guard let first = needle.first else { return true }
            guard needle.count <= b.count else { continue }
            var i = 0
            let last = b.count - needle.count
            while i <= last {
                if fold(b[i], ignoreCase) == first, matches(b, at: i, needle, ignoreCase) { return true }
                i += 1
            }
        }
        return false
    }
}
