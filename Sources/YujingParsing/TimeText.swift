/// Hand-written readers for the time notations found in access logs.
enum TimeText {
    /// Reads `dd/Mon/yyyy:HH:MM:SS ±hhmm` (the offset may be missing: then `defaultOffset` minutes apply).
    static func combined(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, defaultOffset: Int) -> Int64? {
        guard end - start >= 20 else { return nil }
        var i = start
        guard let day = digits(b, &i, 2, end), i < end, b[i] == 0x2F else { return nil }
        i += 1
        guard i + 3 < end else { return nil }
        let month = CivilTime.month(b[i], b[i + 1], b[i + 2])
        guard month != 0, b[i + 3] == 0x2F else { return nil }
        i += 4
        guard let year = digits(b, &i, 4, end), i < end, b[i] == 0x3A else { return nil }
        i += 1
        guard let hour = digits(b, &i, 2, end), i < end, b[i] == 0x3A else { return nil }
        i += 1
        guard let minute = digits(b, &i, 2, end), i < end, b[i] == 0x3A else { return nil }
        i += 1
        guard let second = digits(b, &i, 2, end) else { return nil }
        var offset = defaultOffset
        while i < end, b[i] == 0x20 { i += 1 }
        if i < end {
            guard let parsed = zoneOffset(b, &i, end) else { return nil }
            offset = parsed
        }
        guard CivilTime.isValid(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        return CivilTime.epochMillis(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, millis: 0,
            offsetMinutes: offset)
    }

    /// Reads ISO 8601 `yyyy-MM-ddTHH:mm:ss[.fff][Z|±hh:mm|±hhmm]` (a space may replace `T`).
    static func iso8601(_ b: UnsafeBufferPointer<UInt8>, defaultOffset: Int) -> Int64? {
        let end = b.count
        var i = 0
        guard let year = digits(b, &i, 4, end), i < end, b[i] == 0x2D else { return nil }
        i += 1
        guard let month = digits(b, &i, 2, end), i < end, b[i] == 0x2D else { return nil }
        i += 1
        guard let day = digits(b, &i, 2, end), i < end, b[i] == 0x54 || b[i] == 0x20 || b[i] == 0x74 else {
            return nil
        }
        i += 1
        guard let hour = digits(b, &i, 2, end), i < end, b[i] == 0x3A else { return nil }
        i += 1
        guard let minute = digits(b, &i, 2, end) else { return nil }
        var second = 0
        if i < end, b[i] == 0x3A {
            i += 1
            guard let s = digits(b, &i, 2, end) else { return nil }
            second = s
        }
        var millis = 0
        if i < end, b[i] == 0x2E || b[i] == 0x2C {
            i += 1
            var scale = 100
            var any = false
            while i < end, b[i] >= 0x30, b[i] <= 0x39 {
                millis += Int(b[i] - 0x30) * scale
                scale /= 10
                i += 1
                any = true
            }
            guard any else { return nil }
        }
        var offset = defaultOffset
        if i < end {
            if b[i] == 0x5A || b[i] == 0x7A {
                offset = 0
                i += 1
            } else {
                guard let parsed = zoneOffset(b, &i, end) else { return nil }
                offset = parsed
            }
        }
        guard i == end,
            CivilTime.isValid(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        return CivilTime.epochMillis(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, millis: millis,
            offsetMinutes: offset)
    }

    /// `±hhmm` or `±hh:mm` or `±hh`, in minutes.
    static func zoneOffset(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) -> Int? {
        guard i < end, b[i] == 0x2B || b[i] == 0x2D else { return nil }
        let sign = b[i] == 0x2D ? -1 : 1
        i += 1
        guard let hours = digits(b, &i, 2, end) else { return nil }
        var minutes = 0
        if i < end, b[i] == 0x3A { i += 1 }
        if i < end {
            guard let m = digits(b, &i, 2, end) else { return nil }
            minutes = m
        }
        guard hours <= 18, minutes < 60 else { return nil }
        return sign * (hours * 60 + minutes)
    }

    @inline(__always)
    static func digits(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ count: Int, _ end: Int) -> Int? {
        guard i + count <= end else { return nil }
        var value = 0
        for k in i..<(i + count) {
            let d = b[k] &- 0x30
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
        }
        i += count
        return value
    }
}
