/// Shared cap handling: when a table is full, drop the least recently active tenth.
enum StateCap {
    /// Removes the oldest ~10 % of keys by `lastTime`; returns how many were removed.
    static func makeRoom<State>(_ table: inout [String: State], cap: Int, lastTime: (State) -> Int64) -> Int {
        guard table.count >= cap, cap > 0 else { return 0 }
        let removeCount = max(1, table.count / 10)
        let times = table.values.map(lastTime).sorted()
        let cutoff = times[min(removeCount, times.count) - 1]
        // Collect first, then remove: removing while iterating the table would copy all of it (copy on write).
        var keys: [String] = []
        keys.reserveCapacity(removeCount)
        var index = table.startIndex
        while index != table.endIndex, keys.count < removeCount {
            if lastTime(table.values[index]) <= cutoff { keys.append(table.keys[index]) }
            table.formIndex(after: &index)
        }
        for key in keys { table.removeValue(forKey: key) }
        return keys.count
    }
}

extension StateCap {
    /// Removes the keys whose state is stale, without rebuilding the table; returns how many were removed.
    static func evict<State>(_ table: inout [String: State], where stale: (State) -> Bool) -> Int {
        var keys: [String] = []
        var index = table.startIndex
        while index != table.endIndex {
            if stale(table.values[index]) { keys.append(table.keys[index]) }
            table.formIndex(after: &index)
        }
        for key in keys { table.removeValue(forKey: key) }
        return keys.count
    }
}
