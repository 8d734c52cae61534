import YujingCore

/// Finds the subject in a query string and redacts credential parameters.
struct QueryScanner: Sendable {
    let names: [[UInt8]]
    let kinds: [Subject.Kind]

    init(parameters: [SubjectParameter]) {
        names = parameters.map { Array($0.name.utf8) }
        kinds = parameters.map(\.kind)
    }

    /// Scans `b[start..<end]` (without `?`). Returns the highest-priority subject and, when `keep`, the query
    /// with credential values replaced by `***`.
    func scan(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, keep: Bool) -> (Subject?, String?) {
        var best = Int.max
        var bestRange = 0..<0
        var credentialSeen = false
        var i = start
        while i < end {
            let keyStart = i
            while i < end, b[i] != 0x3D, b[i] != 0x26 { i += 1 }
            let keyEnd = i
            var valueStart = i
            if i < end, b[i] == 0x3D {
                i += 1
                valueStart = i
                while i < end, b[i] != 0x26 { i += 1 }
            }
            let valueEnd = i
            if i < end { i += 1 }
            guard valueEnd > valueStart else { continue }
            for index in 0..<names.count where Bytes.equals(b, keyStart, keyEnd, names[index]) {
                if kinds[index] != .user { credentialSeen = true }
                if index < best {
                    best = index
                    bestRange = valueStart..<valueEnd
                }
                break
            }
        }
        var subject: Subject?
        if best != Int.max {
            subject = Subject(
                kind: kinds[best], id: Bytes.decodedString(b, bestRange.lowerBound, bestRange.upperBound))
        }
        guard keep, end > start else { return (subject, nil) }
        guard credentialSeen else { return (subject, Bytes.string(b, start, end)) }
        return (subject, redacted(b, start, end))
    }

    private func redacted(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var i = start
        while i < end {
            let keyStart = i
            while i < end, b[i] != 0x3D, b[i] != 0x26 { i += 1 }
            let keyEnd = i
            var isCredential = false
            for index in 0..<names.count where kinds[index] != .user {
                if Bytes.equals(b, keyStart, keyEnd, names[index]) {
                    isCredential = true
                    break
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[keyStart..<keyEnd]))
            if i < end, b[i] == 0x3D {
                i += 1
                let valueStart = i
                while i < end, b[i] != 0x26 { i += 1 }
                out.append(0x3D)
                if isCredential {
                    out.append(contentsOf: [0x2A, 0x2A, 0x2A])
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[valueStart..<i]))
                }
            }
            if i < end {
                out.append(0x26)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
