/// The pages' stylesheet, served at `/assets/fxa.css`: one readable column
/// on a phone, a centred card on a desktop, visible focus, and colours
/// with WCAG AA contrast.
enum PageStyle {
    static let source = """
    :root { color-scheme: light dark; --fg: #15141a; --bg: #f9f9fb; --card: #fff; --accent: #0060df; --muted: #5b5b66; --error: #b3001e; }
    @media (prefers-color-scheme: dark) { :root { --fg: #fbfbfe; --bg: #1c1b22; --card: #2b2a33; --accent: #80ebff; --muted: #cfcfd8; --error: #ff9aa2; } }
    * { box-sizing: border-box; }
    body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
    main { max-width: 26rem; margin: 0 auto; padding: 1.5rem 1rem; }
    .card { background: var(--card); border-radius: 0.5rem; padding: 1.5rem; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
    header { display: flex; align-items: center; gap: 0.75rem; margin-bottom: 1rem; }
    header img { width: 48px; height: 48px; border-radius: 0.5rem; }
    h1 { font-size: 1.25rem; margin: 0; }
    h2 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
    a { color: var(--accent); }
    .notice { color: var(--fg); background: var(--bg); border-left: 4px solid var(--accent); padding: 0.5rem 0.75rem; }
    ul.clients { list-style: none; padding: 0; margin: 0; }
    li.client { border-top: 1px solid var(--muted); padding: 0.75rem 0; }
    li.client header { margin-bottom: 0.25rem; }
    li.client h2, li.client h3 { font-size: 1rem; margin: 0; }
    li.client p { margin: 0.25rem 0 0; }
    li.client img { width: 40px; height: 40px; }
    label { display: block; font-weight: 600; margin: 0.75rem 0 0.25rem; }
    input { width: 100%; font: inherit; padding: 0.6rem; border: 1px solid var(--muted); border-radius: 0.25rem; background: var(--card); color: var(--fg); }
    button { font: inherit; margin-top: 1rem; padding: 0.6rem 1rem; border: 0; border-radius: 0.25rem; background: var(--accent); color: var(--card); cursor: pointer; }
    button.secondary { background: transparent; color: var(--accent); border: 1px solid var(--accent); }
    button:disabled { opacity: 0.6; }
    :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
    .muted { color: var(--muted); }
    .brand { margin: 0 0 0.75rem; font-weight: 600; letter-spacing: 0.02em; color: var(--muted); text-align: center; }
    .error, #message { color: var(--error); min-height: 1.5em; }
    #message:empty { min-height: 0; margin: 0; }
    .address { overflow-wrap: anywhere; }
    button + button { margin-left: 0.5rem; }
    ol.steps { padding-left: 1.25rem; }
    ol.steps li { margin: 0.5rem 0; }
    @media (max-width: 30rem) { main { padding: 1rem 0.5rem; } .card { padding: 1rem; } }
    [hidden] { display: none !important; }
    main:has(.card.wide) { max-width: 44rem; }
    header img.avatar { border-radius: 50%; }
    textarea { width: 100%; font: inherit; padding: 0.6rem; border: 1px solid var(--muted); border-radius: 0.25rem; background: var(--card); color: var(--fg); }
    fieldset { border: 1px solid var(--muted); border-radius: 0.25rem; margin: 1rem 0 0; padding: 0.5rem 0.75rem; }
    legend { font-weight: 600; padding: 0 0.25rem; }
    label.check { display: flex; gap: 0.5rem; align-items: flex-start; font-weight: 400; }
    label.check input { flex: none; width: 1.1rem; height: 1.1rem; margin: 0.2rem 0 0; }
    button.danger { background: var(--error); color: var(--card); }
    a.button { display: inline-block; padding: 0.6rem 1rem; border-radius: 0.25rem; background: var(--accent); color: var(--card); text-decoration: none; }
    code { font-family: ui-monospace, "SF Mono", Menlo, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
    input[readonly] { font-family: ui-monospace, "SF Mono", Menlo, monospace; font-size: 0.8rem; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0; }
    dt { font-weight: 600; }
    dd { margin: 0; }
    ul.emails { list-style: none; padding: 0; margin: 0; }
    li.email { border-top: 1px solid var(--muted); padding: 0.5rem 0; overflow-wrap: anywhere; }
    li.email .actions { display: flex; flex-wrap: wrap; gap: 0 0.5rem; align-items: end; }
    li.email .actions form { flex: 1 1 auto; }
    .table { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
    th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--muted); vertical-align: top; }
    """
}
