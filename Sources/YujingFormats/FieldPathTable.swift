/// Interns document paths (`$.data[*].sfzh`, `/root/record/@id`) as nodes, and gives a node a field id,
/// announced once with ``CellSink/defineField(_:name:)``, when it first holds a value.
struct FieldPathTable {
    private struct ChildKey: Hashable {
        var parent: Int
        var component: String
    }

    private var names: [String]
    private var fieldIDs: [Int]
    private var children: [ChildKey: Int] = [:]
    private var nextField = 0

    /// The root node (0), named `rootName`.
    init(rootName: String) {
        names = [rootName]
        fieldIDs = [-1]
    }

    /// The child of `parent` for `component`; `render` builds its name from the parent's on first use.
    mutating func child(of parent: Int, component: String, render: (String) -> String) -> Int {
        let key = ChildKey(parent: parent, component: component)
        if let node = children[key] { return node }
        let node = names.count
        names.append(render(names[parent]))
        fieldIDs.append(-1)
        children[key] = node
        return node
    }

    /// The field id of `node`, defining it on `sink` the first time.
    mutating func field<S: CellSink>(of node: Int, sink: inout S) -> Int {
        let existing = fieldIDs[node]
        if existing >= 0 { return existing }
        let id = nextField
        nextField += 1
        fieldIDs[node] = id
        sink.defineField(id, name: names[node])
        return id
    }

    func name(of node: Int) -> String {
        names[node]
    }
}
