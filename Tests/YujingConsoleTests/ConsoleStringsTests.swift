import Testing

@testable import YujingConsole

@Suite struct ConsoleStringsTests {
    @Test func everyLabelExistsInBothLanguages() {
        #expect(ConsoleStrings.missing.isEmpty)
        #expect(ConsoleStrings.text("nav_warnings", .zh) == "预警")
        #expect(ConsoleStrings.text("nav_warnings", .en) == "Warnings")
    }
}
