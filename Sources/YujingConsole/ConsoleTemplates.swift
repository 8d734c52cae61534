/// The console's Mustache templates, compiled into the module (found at run time wherever the binary is).
/// `{{x}}` is HTML-escaped; `{{{body}}}` is only used for HTML the console rendered itself.
enum ConsoleTemplates {
    static let all: [String: String] = [
        "layout": layout, "login": login, "warnings": warnings, "warning_rows": warningRows,
        "warning_actions": warningActions, "warning": warning, "withdrawals": withdrawals,
        "withdrawal_table": withdrawalTable, "restrictions": restrictions, "restriction_table": restrictionTable,
        "traceback": traceback, "agents": agents, "audit": audit, "drills": drills, "drill": drill, "message": message, "csrf": csrf,
    ]

    static let csrf = #"<input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}">"#

    static let layout = """
        <!doctype html>
        <html lang="{{lang}}"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{pageTitle}} · {{t.app_title}}</title>
        <link rel="stylesheet" href="/console/assets/console.css">
        <script src="/console/assets/console.js" defer></script>
        </head><body>
        <header class="top"><a class="brand" href="/console/warnings">预警 Yujing</a>
        {{#user}}<nav>{{#nav}}<a href="{{href}}" id="nav-{{key}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/nav}}</nav>
        <span class="who">{{t.signed_in_as}} <b id="who">{{name}}</b> · {{t.role}}: <span id="role">{{roleLabel}}</span></span>
        <form method="post" action="/console/logout" class="inline">{{> csrf}}<button id="logout">{{t.logout}}</button></form>
        {{/user}}{{^user}}<nav><a href="/public/notices" id="nav-notices">{{t.nav_notices}}</a></nav>{{/user}}
        <a id="lang-toggle" href="/console/lang?to={{otherLang}}&amp;back={{backQuery}}" lang="{{otherLang}}">{{t.switch_language}}</a>
        </header>
        <main id="main">
        {{#flash}}<p class="flash" role="status" id="flash">{{flash}}</p>{{/flash}}
        {{{body}}}
        </main></body></html>

        """

    static let login = """
        <h1>{{t.login_title}}</h1>
        {{#error}}<p class="error" role="alert" id="login-error">{{error}}</p>{{/error}}
        <p>{{t.login_intro}}</p>
        <form method="post" action="/console/login" class="login" id="login-form">
        <input type="hidden" name="csrf" value="{{loginCSRF}}"><input type="hidden" name="next" value="{{next}}">
        <label>{{t.login_token}} <input type="password" name="token" id="token" autocomplete="off" required></label>
        <button id="login-submit">{{t.login_submit}}</button>
        </form>
        <p><a href="/public/notices">{{t.nav_notices}}</a></p>
        """

    static let warnings = """
        <h1>{{t.nav_warnings}}</h1>
        <form method="get" action="/console/warnings" class="filters" id="filters">
        <label>{{t.level}} <select name="level" id="f-level"><option value="">{{t.any}}</option>{{#levels}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/levels}}</select></label>
        <label>{{t.state}} <select name="state" id="f-state"><option value="">{{t.any}}</option>{{#states}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/states}}</select></label>
        <label>{{t.rule}} <input name="rule" value="{{rule}}" size="18"></label>
        <label>{{t.dataset}} <input name="dataset" value="{{dataset}}" size="14"></label>
        <label>{{t.subject}} <input name="subject" value="{{subject}}" size="14"></label>
        <button>{{t.apply}}</button> <a href="/console/warnings">{{t.clear}}</a>
        </form>
        <p class="live">{{t.live_note}} {{t.updated_at}} <span id="live-time">{{generated}}</span></p>
        <table class="board"><thead><tr><th>{{t.level}}</th><th>{{t.id}}</th><th>{{t.title}}</th><th>{{t.rule}}</th>
        <th>{{t.state}}</th><th>{{t.count}}</th><th>{{t.dataset}}</th><th>{{t.subject}}</th><th>{{t.last_seen}}</th>
        {{#canHandle}}<th>{{t.actions}}</th>{{/canHandle}}</tr></thead>
        <tbody id="warning-rows" data-live="/console/warnings/live?{{query}}" data-stamp="{{stamp}}">{{> warning_rows}}</tbody></table>
        """

    static let warningRows = """
        {{#warnings}}<tr id="warning-{{id}}" class="row-{{level}}">
        <td><span class="badge lvl-{{level}}">{{levelLabel}}</span></td>
        <td><a href="/console/warnings/{{id}}">#{{id}}</a></td><td><a href="/console/warnings/{{id}}" class="wtitle">{{title}}</a></td>
        <td><code>{{rule}}</code></td><td class="state state-{{state}}" id="state-{{id}}">{{stateLabel}}</td><td>{{count}}</td>
        <td>{{dataset}}</td><td>{{subject}}</td><td>{{lastSeen}}</td>
        {{#canHandle}}<td class="actions">{{> warning_actions}}</td>{{/canHandle}}</tr>
        {{/warnings}}{{^warnings}}<tr><td colspan="10" id="no-warnings">{{t.no_warnings}}</td></tr>{{/warnings}}
        """

    static let warningActions = """
        {{#canAck}}<form method="post" action="/console/warnings/{{id}}/acknowledge" class="inline">{{> csrf}}<button class="ack" id="ack-{{id}}">{{t.acknowledge}}</button></form>{{/canAck}}
        {{#canResolve}}<form method="post" action="/console/warnings/{{id}}/resolve" class="inline">{{> csrf}}<button class="resolve" id="resolve-{{id}}">{{t.resolve}}</button></form>{{/canResolve}}
        {{#canSilence}}<form method="post" action="/console/warnings/{{id}}/silence" class="inline silence">{{> csrf}}
        <select name="duration" aria-label="{{t.duration}}"><option value="1h">{{t.duration_1h}}</option><option value="2h">{{t.duration_2h}}</option><option value="24h">{{t.duration_24h}}</option><option value="7d">{{t.duration_7d}}</option></select>
        <input name="comment" required placeholder="{{t.comment}}" aria-label="{{t.comment}}" size="10"><button class="silence" id="silence-{{id}}">{{t.silence}}</button></form>{{/canSilence}}
        """

    static let warning = """
        {{#warning}}
        <h1><span class="badge lvl-{{level}}">{{levelLabel}}</span> #{{id}} {{title}}</h1>
        <dl class="facts"><dt>{{t.state}}</dt><dd class="state state-{{state}}" id="state-{{id}}">{{stateLabel}}</dd>
        <dt>{{t.rule}}</dt><dd><code>{{rule}}</code></dd><dt>{{t.count}}</dt><dd>{{count}}</dd>
        <dt>{{t.first_seen}}</dt><dd>{{firstSeen}}</dd><dt>{{t.last_seen}}</dt><dd>{{lastSeen}}</dd>
        <dt>{{t.dataset}}</dt><dd>{{dataset}}</dd><dt>{{t.subject}}</dt><dd>{{subject}}</dd>
        {{#inhibitedBy}}<dt>{{t.inhibited_by}}</dt><dd><a href="/console/warnings/{{inhibitedBy}}">#{{inhibitedBy}}</a></dd>{{/inhibitedBy}}
        </dl>
        {{#canHandle}}<div class="actions">{{> warning_actions}}</div>{{/canHandle}}
        {{#tracebackURL}}<p><a href="{{tracebackURL}}" id="traceback-link">{{t.traceback_link}}</a></p>{{/tracebackURL}}
        {{#canWithdraw}}<form method="post" action="/console/warnings/{{id}}/withdraw" class="inline" id="withdraw-form">{{> csrf}}
        <input name="comment" required placeholder="{{t.reason}}" aria-label="{{t.reason}}" size="30">
        <button id="withdraw-{{id}}">{{t.withdraw_dataset}}</button></form>{{/canWithdraw}}
        <h2>{{t.evidence}}</h2><pre class="evidence">{{evidence}}</pre>
        <h2>{{t.labels}}</h2><table class="kv">{{#labels}}<tr><th>{{key}}</th><td>{{value}}</td></tr>{{/labels}}</table>
        <h2>{{t.annotations}}</h2><table class="kv">{{#annotations}}<tr><th>{{key}}</th><td>{{value}}</td></tr>{{/annotations}}</table>
        {{/warning}}
        <h2>{{t.findings}}</h2>
        <table><thead><tr><th>{{t.time}}</th><th>{{t.kind}}</th><th>{{t.count}}</th><th>{{t.samples}}</th><th>{{t.file}}</th><th>{{t.agent}}</th></tr></thead><tbody>
        {{#findings}}<tr><td>{{time}}</td><td>{{kind}}</td><td>{{count}}</td><td><code>{{samples}}</code></td><td>{{file}}</td><td>{{agent}}</td></tr>{{/findings}}
        {{^findings}}<tr><td colspan="6">{{t.none}}</td></tr>{{/findings}}</tbody></table>
        <h2>{{t.history}}</h2>
        <table><thead><tr><th>{{t.time}}</th><th>{{t.action}}</th><th>{{t.author}}</th><th>{{t.level}}</th><th>{{t.state}}</th><th>{{t.comment}}</th></tr></thead><tbody>
        {{#history}}<tr><td>{{time}}</td><td>{{action}}</td><td>{{author}}</td><td>{{level}}</td><td>{{state}}</td><td>{{comment}}</td></tr>{{/history}}
        </tbody></table>
        <h2>{{t.related_withdrawals}}</h2>{{> withdrawal_table}}
        <h2>{{t.related_restrictions}}</h2>{{> restriction_table}}
        """

    static let withdrawalTable = """
        <table class="withdrawals"><thead><tr><th>{{t.id}}</th><th>{{t.dataset}}</th><th>{{t.state}}</th><th>{{t.reason}}</th>
        <th>{{t.requested_by}}</th><th>{{t.approved_by}}</th><th>{{t.adapter}}</th><th>{{t.verification}}</th><th>{{t.updated}}</th><th>{{t.actions}}</th></tr></thead><tbody>
        {{#withdrawals}}<tr id="withdrawal-{{id}}"><td>{{id}}{{#drill}} <small>({{t.drill}} {{drill}})</small>{{/drill}}</td><td>{{dataset}}</td>
        <td class="wstate" id="wstate-{{id}}">{{stateLabel}}</td><td>{{reason}}</td><td>{{requestedBy}}</td><td>{{approvedBy}}</td>
        <td>{{adapter}}</td><td id="verification-{{id}}">{{verification}}</td><td>{{updated}}</td>
        <td class="actions">{{#tracebackURL}}<a href="{{tracebackURL}}">{{t.nav_traceback}}</a>{{/tracebackURL}}
        {{#canApprove}}<form method="post" action="/console/withdrawals/{{id}}/approve" class="inline">{{> csrf}}<button id="approve-withdrawal-{{id}}">{{t.approve}}</button></form>{{/canApprove}}
        {{#canCancel}}<form method="post" action="/console/withdrawals/{{id}}/cancel" class="inline">{{> csrf}}<button id="cancel-withdrawal-{{id}}">{{t.cancel}}</button></form>{{/canCancel}}
        {{#canRestore}}<form method="post" action="/console/withdrawals/{{id}}/restore" class="inline">{{> csrf}}<button id="restore-withdrawal-{{id}}">{{t.restore}}</button></form>{{/canRestore}}
        </td></tr>{{/withdrawals}}{{^withdrawals}}<tr><td colspan="10">{{t.none}}</td></tr>{{/withdrawals}}
        </tbody></table>
        """

    static let withdrawals = """
        <h1>{{t.nav_withdrawals}}</h1>
        <h2>{{t.queue}}</h2>{{#queue}}{{> withdrawal_table}}{{/queue}}
        <h2>{{t.all_withdrawals}}</h2>{{#others}}{{> withdrawal_table}}{{/others}}
        """

    static let restrictionTable = """
        <table class="restrictions"><thead><tr><th>{{t.id}}</th><th>{{t.subject}}</th><th>{{t.measure}}</th><th>{{t.state}}</th>
        <th>{{t.ground}}</th><th>{{t.reason}}</th><th>{{t.from}}</th><th>{{t.until}}</th><th>{{t.requested_by}}</th><th>{{t.actions}}</th></tr></thead><tbody>
        {{#restrictions}}<tr id="restriction-{{id}}"><td>{{id}}{{#drill}} <small>({{t.drill}} {{drill}})</small>{{/drill}}</td><td><code>{{subject}}</code></td>
        <td>{{measure}}</td><td id="rstate-{{id}}">{{stateLabel}}</td><td>{{ground}}</td><td>{{reason}}</td><td>{{from}}</td><td>{{until}}</td><td>{{requestedBy}}</td>
        <td class="actions">{{#warningID}}<a href="/console/warnings/{{warningID}}">#{{warningID}}</a>{{/warningID}}
        {{#canApprove}}<form method="post" action="/console/restrictions/{{id}}/approve" class="inline">{{> csrf}}<button id="approve-restriction-{{id}}">{{t.approve}}</button></form>{{/canApprove}}
        {{#canLift}}<form method="post" action="/console/restrictions/{{id}}/lift" class="inline">{{> csrf}}<input name="comment" placeholder="{{t.reason}}" aria-label="{{t.reason}}" size="10"><button id="lift-restriction-{{id}}">{{t.lift}}</button></form>{{/canLift}}
        </td></tr>{{/restrictions}}{{^restrictions}}<tr><td colspan="10">{{t.none}}</td></tr>{{/restrictions}}
        </tbody></table>
        """

    static let restrictions = """
        <h1>{{t.nav_restrictions}}</h1>
        <h2>{{t.pending}}</h2>{{#pending}}{{> restriction_table}}{{/pending}}
        <h2>{{t.active}}</h2>{{#active}}{{> restriction_table}}{{/active}}
        <h2>{{t.ended}}</h2>{{#ended}}{{> restriction_table}}{{/ended}}
        <p><a href="/public/notices">{{t.nav_notices}}</a></p>
        """

    static let traceback = """
        <h1>{{t.nav_traceback}}</h1>
        <p>{{t.traceback_intro}}</p>
        <form method="get" action="/console/traceback" class="filters" id="trace-form">
        <label>{{t.dataset}} <input name="dataset" value="{{dataset}}" list="datasets" required></label>
        <datalist id="datasets">{{#datasets}}<option value="{{.}}">{{/datasets}}</datalist>
        <label>{{t.since}} <input name="since" value="{{since}}" placeholder="2026-01-01T00:00:00Z"></label>
        <label>{{t.until}} <input name="until" value="{{until}}"></label>
        <button>{{t.show}}</button></form>
        {{#problem}}<p class="error" role="alert">{{problem}}</p>{{/problem}}
        {{#result}}
        <p>{{t.dataset}} <b>{{dataset}}</b> {{title}} · {{t.since}} {{since}} · {{t.until}} {{until}} ·
        {{t.subjects}} <b id="trace-subjects">{{subjects}}</b> · {{t.requests}} {{requests}} · {{t.bytes}} {{bytes}}
        · <a href="{{csvURL}}" id="trace-csv">{{t.export_csv}}</a></p>
        <table><thead><tr><th>{{t.subject}}</th><th>{{t.channel}}</th><th>{{t.requests}}</th><th>{{t.first}}</th><th>{{t.last}}</th><th>{{t.bytes}}</th><th>{{t.addresses}}</th></tr></thead><tbody>
        {{#rows}}<tr><td><code>{{subject}}</code></td><td>{{channel}}</td><td>{{count}}</td><td>{{first}}</td><td>{{last}}</td><td>{{bytes}}</td><td>{{addresses}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="7">{{t.none}}</td></tr>{{/rows}}</tbody></table>
        {{/result}}
        """

    static let agents = """
        <h1>{{t.nav_agents}}</h1>
        <table id="agents"><thead><tr><th>{{t.name}}</th><th>{{t.node}}</th><th>{{t.health}}</th><th>{{t.last_heartbeat}}</th>
        <th>{{t.lag}}</th><th>{{t.spool}}</th><th>{{t.backpressure}}</th><th>{{t.heartbeats}}</th><th>{{t.enforcement}}</th></tr></thead><tbody>
        {{#agents}}<tr id="agent-{{name}}"><td>{{name}}</td><td>{{node}}</td><td class="health health-{{health}}">{{healthLabel}}</td>
        <td>{{lastHeartbeat}}</td><td class="lag">{{lag}}</td><td class="spool">{{spool}}</td><td class="backpressure">{{backpressure}}</td>
        <td>{{heartbeats}}</td><td>{{enforcement}}</td></tr>{{/agents}}
        {{^agents}}<tr><td colspan="9">{{t.none}}</td></tr>{{/agents}}</tbody></table>
        <p class="note">{{t.agents_note}}</p>
        """

    static let audit = """
        <h1>{{t.nav_audit}}</h1>
        <form method="get" action="/console/audit" class="inline"><input type="hidden" name="offset" value="{{offset}}">
        <input type="hidden" name="verify" value="1"><button id="verify-chain">{{t.verify_chain}}</button></form>
        {{#verification}}<p class="{{#intact}}ok{{/intact}}{{^intact}}error{{/intact}}" role="status" id="verify-result">
        {{#intact}}{{t.chain_intact}}{{/intact}}{{^intact}}{{t.chain_broken}}{{/intact}}: {{rows}} {{t.rows}}{{#problem}} — {{problem}}{{/problem}}</p>{{/verification}}
        <p>{{from}}–{{to}} / {{total}} {{t.page_of}}
        {{#previous}}<a href="/console/audit?offset={{previous}}" id="audit-previous">{{t.previous}}</a>{{/previous}}
        {{#next}}<a href="/console/audit?offset={{next}}" id="audit-next">{{t.next}}</a>{{/next}}</p>
        <table id="audit"><thead><tr><th>#</th><th>{{t.time}}</th><th>{{t.actor}}</th><th>{{t.action}}</th><th>{{t.target}}</th><th>{{t.detail}}</th><th>{{t.hash}}</th></tr></thead><tbody>
        {{#entries}}<tr><td>{{id}}</td><td>{{time}}</td><td>{{actor}}</td><td>{{action}}</td><td>{{target}}</td><td>{{detail}}</td><td><code>{{hash}}</code></td></tr>{{/entries}}
        </tbody></table>
        """

    static let drills = """
        <h1>{{t.nav_drills}}</h1>
        <table id="drills"><thead><tr><th>{{t.id}}</th><th>{{t.runbook}}</th><th>{{t.mode}}</th><th>{{t.status}}</th>
        <th>{{t.pass}}</th><th>{{t.fail}}</th><th>{{t.started}}</th><th>{{t.started_by}}</th></tr></thead><tbody>
        {{#runs}}<tr id="drill-{{id}}" class="drill-{{status}}"><td><a href="/console/drills/{{id}}">{{id}}</a></td><td>{{runbook}}</td><td>{{mode}}</td>
        <td><strong>{{status}}</strong></td><td>{{passed}}</td><td>{{failed}}</td><td>{{started}}</td><td>{{by}}</td></tr>{{/runs}}
        {{^runs}}<tr><td colspan="8">{{t.none}}</td></tr>{{/runs}}</tbody></table>
        <h2>{{t.trend}}</h2>
        <table id="drill-trends"><tbody>{{#trends}}<tr><td>{{runbook}}</td><td>{{summary}}</td><td aria-label="{{summary}}">{{marks}}</td></tr>{{/trends}}</tbody></table>
        {{#start}}<form method="post" action="/console/drills/start" class="inline" id="start-drill">{{> csrf}}
        <label>{{t.runbook}} <select name="runbook">{{#runbooks}}<option value="{{id}}">{{id}} — {{title}}</option>{{/runbooks}}</select></label>
        <button>{{t.start_drill}}</button></form>{{/start}}
        <p class="note">{{t.drills_note}}</p>
        """

    static let drill = """
        <h1>{{t.nav_drills}}: {{title}}</h1>
        <p><code>{{id}}</code> · {{t.runbook}} {{runbook}} · {{t.mode}} {{mode}} · {{t.started}} {{started}} · <strong id="drill-status">{{status}}</strong></p>
        <h2>{{t.timeline}}</h2>
        <div class="timeline">{{{svg}}}</div>
        <table id="expectations"><thead><tr><th>{{t.id}}</th><th>{{t.expectation}}</th><th>{{t.objective}}</th>
        <th>{{t.measured}}</th><th>{{t.margin}}</th><th>{{t.result}}</th><th>{{t.detail}}</th></tr></thead><tbody>
        {{#expectations}}<tr class="{{status}}"><td>{{id}}</td><td>{{text}}</td><td>{{objective}}</td><td>{{measured}}</td>
        <td>{{margin}}</td><td><strong>{{result}}</strong></td><td>{{detail}}</td></tr>{{/expectations}}</tbody></table>
        {{#hasSteps}}<h2>{{t.steps}}</h2><table id="steps"><tbody>{{#steps}}<tr><td>{{id}}</td><td>{{role}}</td><td>{{text}}</td>
        <td>{{signed}}</td></tr>{{/steps}}</tbody></table>{{/hasSteps}}
        <p><a href="/console/drills">{{t.back}}</a></p>
        """

    static let message = """
        <h1>{{heading}}</h1><p class="error" role="alert" id="message">{{text}}</p>
        <p><a href="{{backLink}}">{{t.back}}</a></p>
        """
}
