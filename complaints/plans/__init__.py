"""Resolution plans and their approval (DESIGN §6): a capability any route
switches on for named states in its declaration (`RouteSpec.plans`).

models      plans (kept as revisions), reasons, actions, approvals
services    the only code that writes them; the plan steps transitions run
selectors   the facts conditions need, the Plan tab, the Approvals page
permissions who may decide (four eyes, grade limits)
forms views tables approvals urls   the Plan tab's pages and the Approvals page
"""
