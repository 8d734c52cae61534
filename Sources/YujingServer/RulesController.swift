import Hummingbird
import YujingRules

/// `/api/v1/rules`: list and show the rules in force.
struct RulesController {
    let pipeline: Pipeline

    struct RuleView: ResponseEncodable {
        var id: String
        var title: String
        var description: String?
        var kind: String
        var enabled: Bool
        var tiers: [TierView]
        var group_by: [String]
        var window_seconds: Double
        var labels: [String: String]
        var annotations: [String: String]
        var source: String?

        struct TierView: Codable {
            var at: Double
            var level: String
        }

        init(_ rule: RuleDefinition) {
            id = rule.id
            title = rule.title
            description = rule.description
            kind = rule.kind.rawValue
            enabled = rule.enabled
            tiers = rule.tiers.map { TierView(at: $0.minimum, level: $0.level.rawValue) }
            group_by = rule.groupBy.map(\.rawValue)
            window_seconds = Double(rule.windowMillis) / 1000
            labels = rule.labels
            annotations = rule.annotations
            source = rule.source?.description
        }
    }

    struct RuleList: ResponseEncodable {
        var rules: [RuleView]
    }

    func addRoutes(to group: RouterGroup<YujingRequestContext>) {
        group.get("rules", use: list)
        group.get("rules/{id}", use: show)
    }

    @Sendable func list(request: Request, context: YujingRequestContext) async throws -> RuleList {
        _ = try context.require(.readers)
        return RuleList(rules: await pipeline.rules.rules.map(RuleView.init))
    }

    @Sendable func show(request: Request, context: YujingRequestContext) async throws -> RuleView {
        _ = try context.require(.readers)
        let id = try context.parameters.require("id")
        guard let rule = await pipeline.rules.rule(id: id) else {
            throw HTTPError(.notFound, message: "rule \(id) not found")
        }
        return RuleView(rule)
    }
}
