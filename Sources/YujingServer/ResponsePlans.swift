import Foundation
import YujingResponse
import YujingRules

/// Loading of response plans for the daemon.
public enum ResponsePlans {
    /// Loads the plans of a runbooks folder; a missing folder means no plans.
    /// - Parameter directory: The folder.
    /// - Returns: Plans.
    /// - Throws: ``ServerError/configuration(_:)`` with file, line and reason.
    public static func load(directory: String) throws(ServerError) -> [ResponsePlan] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return []
        }
        do throws(RuleError) {
            return try ResponsePlanLoader.load(directory: directory)
        } catch {
            throw .configuration(error.description)
        }
    }
}
