import YujingCore

/// A ``FieldCondition`` prepared for fast evaluation (sets, byte needles, compiled regex, parsed CIDR).
///
/// A class so that evaluating a list of conditions never copies (and retains) their operands. The operands live in
/// stored properties beside a payload-free ``Test`` tag: switching over an enum with payloads copied (and retained)
/// the set or array on every evaluation, which showed in profiles of the engine.
final class CompiledCondition {
    enum Test {
        case equalsOne
        case equalsAny
        case numberIn
        case notEquals
        case notNumberIn
        case prefix
        case suffix
        case contains
        case regex
        case cidr
        case exists
        case compare
    }

    let field: EventField
    let test: Test
    let ignoreCase: Bool
    /// `equalsOne`: the value (folded when ignoring case).
    let text: String
    /// `equalsAny`, `notEquals`: the values (folded when ignoring case).
    let texts: Set<String>
    /// `numberIn`, `notNumberIn`: the numbers.
    let numbers: [Double]
    /// `prefix`, `suffix`: the byte needles (folded).
    let needles: [[UInt8]]
    /// `contains`: the needle set.
    let needleSet: NeedleSet
    /// `regex`: the compiled expression.
    let regex: Regex<AnyRegexOutput>?
    /// `cidr`: the blocks.
    let blocks: [CIDRBlock]
    /// `exists`: whether the field must be present.
    let flag: Bool
    /// `compare`: operator and right-hand side.
    let comparison: ComparisonOperator
    let number: Double

    init(_ condition: FieldCondition) {
        field = condition.field
        ignoreCase = condition.ignoreCase
        var text = ""
        var texts: Set<String> = []
        var numbers: [Double] = []
        var needles: [[UInt8]] = []
        var needleSet = NeedleSet([])
        var regex: Regex<AnyRegexOutput>?
        var blocks: [CIDRBlock] = []
        var flag = false
        var comparison = ComparisonOperator.lt
        var number = 0.0
        let fold: (String) -> String = condition.ignoreCase ? { $0.lowercased() } : { $0 }
        switch condition.test {
        case .equals(let values):
            let parsed = values.compactMap(Double.init)
            if condition.field.isNumeric, parsed.count == values.count {
                test = .numberIn
                numbers = parsed
            } else if values.count == 1, let only = values.first {
                test = .equalsOne
                text = fold(only)
            } else {
                test = .equalsAny
                texts = Set(values.map(fold))
            }
        case .notEquals(let values):
            let parsed = values.compactMap(Double.init)
            if condition.field.isNumeric, parsed.count == values.count {
                test = .notNumberIn
                numbers = parsed
            } else {
                test = .notEquals
                texts = Set(values.map(fold))
            }
        case .prefix(let values):
            test = .prefix
            needles = values.map { Array(fold($0).utf8) }
        case .suffix(let values):
            test = .suffix
            needles = values.map { Array(fold($0).utf8) }
        case .contains(let values):
            test = .contains
            needleSet = NeedleSet(values.map { Array(fold($0).utf8) })
        case .regex(let pattern):
            // Validated by the loader; an invalid pattern built in code matches nothing.
            if let compiled = try? Regex(pattern) {
                test = .regex
                regex = condition.ignoreCase ? compiled.ignoresCase() : compiled
            } else {
                test = .exists
                flag = false
            }
        case .cidr(let values):
            test = .cidr
            blocks = values.compactMap(CIDRBlock.init)
        case .exists(let required):
            test = .exists
            flag = required
        case .compare(let op, let rhs):
            test = .compare
            comparison = op
            number = rhs
        }
        self.text = text
        self.texts = texts
        self.numbers = numbers
        self.needles = needles
        self.needleSet = needleSet
        self.regex = regex
        self.blocks = blocks
        self.flag = flag
        self.comparison = comparison
        self.number = number
    }

    /// Relative evaluation cost, for ordering a conjunction.
    var cost: Int {
        let base: Int
        switch test {
        case .exists, .compare, .numberIn, .notNumberIn: base = 0
        case .equalsOne, .equalsAny, .notEquals: base = 1
        case .prefix, .suffix: base = 2
        case .contains: base = 3
        case .cidr: base = 4
        case .regex: base = 9
        }
        // The event kind is the cheapest and most selective test of all.
        return field == .kind ? -1 : base
    }

    @inline(__always)
    func holds(_ event: EngineEvent) -> Bool {
        guard let value = event.value(of: field) else {
            switch test {
            case .exists: return !flag
            case .notEquals, .notNumberIn: return true
            default: return false
            }
        }
        switch test {
        case .exists: return flag
        case .equalsOne:
            return ignoreCase ? value.text.lowercased() == text : value.text == text
        case .equalsAny: return texts.contains(ignoreCase ? value.text.lowercased() : value.text)
        case .numberIn:
            guard let number = value.number else { return false }
            return numbers.contains(number)
        case .notEquals: return !texts.contains(ignoreCase ? value.text.lowercased() : value.text)
        case .notNumberIn:
            guard let number = value.number else { return true }
            return !numbers.contains(number)
        case .compare:
            guard let lhs = value.number else { return false }
            return comparison.holds(lhs, number)
        case .prefix:
            return TextSearch.withBytes(value.text) { TextSearch.hasPrefix($0, needles, ignoreCase) }
        case .suffix:
            return TextSearch.withBytes(value.text) { TextSearch.hasSuffix($0, needles, ignoreCase) }
        case .contains:
            return TextSearch.withBytes(value.text) { needleSet.found(in: $0, ignoreCase) }
        case .regex:
            guard let regex else { return false }
            return (try? regex.firstMatch(in: value.text)) != nil
        case .cidr:
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
}

/// Substrings searched in one pass: a table of first bytes, then a bit set of first byte pairs (when every needle
/// has two bytes or more), select the positions worth comparing. The pair filter matters for needle lists that
/// share a first byte, like paths that all start with `/`.
struct NeedleSet {
    let needles: [[UInt8]]
    let firstBytes: [Bool]
    /// Bit `b0 << 8 | b1` is set when a needle starts with bytes `b0 b1` (empty when some needle is shorter).
    let firstPairs: [UInt64]
    let shortest: Int

    init(_ needles: [[UInt8]]) {
        self.needles = needles
        var table = [Bool](repeating: false, count: 256)
        for needle in needles {
            if let first = needle.first { table[Int(first)] = true }
        }
        firstBytes = table
        shortest = needles.map(\.count).min() ?? 0
        var pairs: [UInt64] = []
        if shortest >= 2 {
            pairs = [UInt64](repeating: 0, count: 1024)
            for needle in needles {
                let pair = Int(needle[0]) << 8 | Int(needle[1])
                pairs[pair >> 6] |= 1 << UInt64(pair & 63)
            }
        }
        firstPairs = pairs
    }

    func found(in b: UnsafeBufferPointer<UInt8>, _ ignoreCase: Bool) -> Bool {
        guard shortest > 0 else { return true }
        guard b.count >= shortest else { return false }
        let usePairs = !firstPairs.isEmpty
        return firstBytes.withUnsafeBufferPointer { table in
            firstPairs.withUnsafeBufferPointer { pairs in
                var i = 0
                let last = b.count - shortest
                while i <= last {
                    let byte = TextSearch.fold(b[i], ignoreCase)
                    if table[Int(byte)] {
                        // With pairs, shortest >= 2 and i <= count - shortest, so b[i + 1] exists.
                        let pair = usePairs ? Int(byte) << 8 | Int(TextSearch.fold(b[i + 1], ignoreCase)) : 0
                        if !usePairs || pairs[pair >> 6] & (1 << UInt64(pair & 63)) != 0 {
                            for needle in needles
                            where needle[0] == byte && TextSearch.matches(b, at: i, needle, ignoreCase) {
                                return true
                            }
                        }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}
