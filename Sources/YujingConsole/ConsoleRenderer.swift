import Mustache

/// The compiled templates.
struct ConsoleRenderer: Sendable {
    let library: MustacheLibrary

    init() throws(ConsoleSetupError) {
        var library = MustacheLibrary()
        for (name, text) in ConsoleTemplates.all {
            do {
                try library.register(text, named: name)
            } catch {
                throw ConsoleSetupError(description: "console template \(name): \(error)")
            }
        }
        self.library = library
    }

    func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: template) ?? ""
    }
}
