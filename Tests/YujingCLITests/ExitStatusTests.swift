import Foundation
import Testing

/// Exit status of `yujing scan`: 0 nothing found, 1 something found, 2 some input unreadable — and the
/// readable inputs of that same run are still scanned and reported, with one error line per bad input.
@Suite("Exit status")
struct ExitStatusTests {
    /// A scratch folder with a clean CSV, a CSV holding one ID and one mobile, and a corrupt workbook.
    struct Inputs {
        let scratch: ScratchDirectory
        let clean: String
        let found: String
        let corrupt: String
        let missing: String
        let id: String
        let mobile: String

        init() throws {
            scratch = try ScratchDirectory()
            var factory = IdentifierFactory(seed: 4)
            id = factory.residentID()
            mobile = factory.mobile()
            clean = try scratch.write(
                "in/clean.csv", text: "区名,公园数量,面积(公顷)\n徐汇区,12,1.10105199E+17\n黄浦区,8,6.2539995E7\n")
            found = try scratch.write("in/found.csv", text: "姓名,身份证号,手机\n张伟,\(id),\(mobile)\n")
            corrupt = try scratch.write(
                "in/corrupt.xlsx", bytes: [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0x41, count: 200))
            missing = scratch.path("in/missing.csv")
        }

        func scan(_ paths: [String], format: String = "json", binary: YujingBinary) throws -> CLIRun {
            try binary.run(
                [
                    "scan", "--format", format, "--no-progress", "--key-file", scratch.path("key"), "--today",
                    "2026-06-01",
                ]
                    + paths,
                workingDirectory: scratch.url.path, captureDirectory: scratch.path("capture"))
        }
    }

    @Test("0 when nothing is found")
    func cleanFile() throws {
        let binary = try YujingBinary.locate()
        let inputs = try Inputs()
        defer { inputs.scratch.remove() }
        for format in ["json", "table"] {
            let run = try inputs.scan([inputs.clean], format: format, binary: binary)
            #expect(run.status == 0, "\(format): \(run.stderrText)")
            #expect(run.stderrLines.isEmpty)
        }
        let report = try inputs.scan([inputs.clean], binary: binary).jsonReport()
        #expect(report.findings.isEmpty && report.summary.findings == 0 && report.summary.files == 1)
    }

    @Test("1 when identifiers are found")
    func findings() throws {
        let binary = try YujingBinary.locate()
        let inputs = try Inputs()
        defer { inputs.scratch.remove() }
        for format in ["json", "table"] {
            let run = try inputs.scan([inputs.clean, inputs.found], format: format, binary: binary)
            #expect(run.status == 1, "\(format): \(run.stderrText)")
            #expect(run.stderrLines.isEmpty)
        }
        let report = try inputs.scan([inputs.found], binary: binary).jsonReport()
        #expect(Set(report.findings.map(\.kind)) == ["cn_resident_id", "cn_mobile"])
    }

    @Test("2 when an input is missing or corrupt; the good inputs of the same run are still reported")
    func unreadableInputs() throws {
        let binary = try YujingBinary.locate()
        let inputs = try Inputs()
        defer { inputs.scratch.remove() }
        let paths = [inputs.clean, inputs.missing, inputs.found, inputs.corrupt]
        let run = try inputs.scan(paths, binary: binary)
        #expect(!run.terminatedBySignal, "yujing crashed: \(run.stderrText)")
        #expect(run.status == 2)
        // One clear error line per bad input, naming it.
        let lines = run.stderrLines
        #expect(lines.count == 2, "error lines: \(lines)")
        #expect(lines.filter { $0.contains(inputs.missing) }.count == 1, "missing input named: \(lines)")
        #expect(lines.filter { $0.contains(inputs.corrupt) }.count == 1, "corrupt input named: \(lines)")
        // The readable files were scanned and reported in the same run.
        let report = try run.jsonReport()
        let reportedFiles = Set(report.findings.map(\.file))
        #expect(reportedFiles == [inputs.found])
        let idMask: String = Plant.id(inputs.id).masked
        let mobileMask: String = Plant.mobile(inputs.mobile).masked
        let masks: [String] = report.findings.map(\.masked).sorted()
        #expect(masks == [idMask, mobileMask].sorted())
        #expect(report.summary.errors == 2)
        #expect(report.summary.filesWithFindings == 1)
        #expect(report.summary.perFile.contains { $0.file == inputs.clean && $0.error == nil })

        // Unreadable beats "nothing found" and "found", in both output formats.
        let cleanAndMissing = try inputs.scan([inputs.clean, inputs.missing], format: "table", binary: binary)
        #expect(cleanAndMissing.status == 2)
        #expect(cleanAndMissing.stderrLines.count == 1)
        let foundAndCorrupt = try inputs.scan([inputs.found, inputs.corrupt], format: "table", binary: binary)
        #expect(foundAndCorrupt.status == 2)
        #expect(
            foundAndCorrupt.stdoutText.contains(String(inputs.mobile.prefix(3)) + "****"),
            "table still lists the finding")
    }
}
