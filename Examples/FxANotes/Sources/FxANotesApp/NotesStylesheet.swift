/// `/style.css`: the app's only style, in a file so the CSP can forbid
/// inline style. Light and dark, one column on a phone, two on a desktop.
enum NotesStylesheet {
    static let css = """
    :root { color-scheme: light dark; --fg: #1d1d24; --bg: #f4f3f8; --card: #fff; --line: #dedde6; --accent: #5a2fd0; --on-accent: #fff; --muted: #5f5e6b; }
    @media (prefers-color-scheme: dark) { :root { --fg: #f2f1f7; --bg: #17161c; --card: #24232b; --line: #3a3944; --accent: #b9a4ff; --on-accent: #17161c; --muted: #b3b1c0; } }
    * { box-sizing: border-box; }
    body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
    .bar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.75rem; padding: 0.75rem 1.25rem; background: var(--card); border-bottom: 1px solid var(--line); }
    .logo { font-weight: 700; font-size: 1.1rem; color: var(--fg); text-decoration: none; }
    .who { display: flex; align-items: center; gap: 0.75rem; min-width: 0; }
    .who div { display: flex; flex-direction: column; min-width: 0; line-height: 1.25; }
    .who small { color: var(--muted); overflow-wrap: anywhere; }
    .who form { margin: 0; }
    .avatar { width: 40px; height: 40px; border-radius: 50%; flex: none; object-fit: cover; }
    .avatar.initial { display: inline-flex; align-items: center; justify-content: center; background: var(--accent); color: var(--on-accent); font-weight: 700; }
    main { max-width: 64rem; margin: 0 auto; padding: 1.5rem 1rem; }
    h1 { font-size: 1.5rem; margin: 0 0 1rem; }
    h2 { font-size: 1.1rem; margin: 0 0 0.75rem; }
    a { color: var(--accent); }
    .card { background: var(--card); border: 1px solid var(--line); border-radius: 0.75rem; padding: 1.25rem; margin-bottom: 1rem; }
    .hero { text-align: center; padding: 2.5rem 1rem 2rem; }
    .hero h1 { font-size: 2rem; }
    .hero p { max-width: 34rem; margin: 0 auto 1rem; }
    .button, button { display: inline-block; font: inherit; font-weight: 600; padding: 0.6rem 1.1rem; border-radius: 0.5rem; border: 1px solid var(--accent); background: var(--accent); color: var(--on-accent); text-decoration: none; cursor: pointer; }
    button.secondary { background: transparent; color: var(--accent); padding: 0.4rem 0.8rem; white-space: nowrap; }
    :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
    label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
    .row { display: flex; gap: 0.5rem; }
    input { flex: 1; min-width: 0; font: inherit; padding: 0.55rem 0.7rem; border: 1px solid var(--line); border-radius: 0.5rem; background: var(--bg); color: var(--fg); }
    ul.notes, ol.events { list-style: none; padding: 0; margin: 1rem 0 0; }
    ul.notes li, ol.events li { border-top: 1px solid var(--line); padding: 0.75rem 0; overflow-wrap: anywhere; }
    ul.notes p { margin: 0 0 0.25rem; white-space: pre-wrap; }
    time, .muted { color: var(--muted); font-size: 0.9rem; }
    ol.guide { padding-left: 1.25rem; margin: 0; }
    ol.guide li { margin: 0.6rem 0; }
    dl { margin: 0 0 0.75rem; }
    dt { font-weight: 600; font-size: 0.9rem; }
    dd { margin: 0 0 0.5rem; overflow-wrap: anywhere; }
    code { font-family: ui-monospace, Menlo, monospace; font-size: 0.85em; }
    footer { text-align: center; color: var(--muted); font-size: 0.85rem; padding: 1rem 1rem 2rem; }
    @media (min-width: 52rem) { .columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; align-items: start; } }
    """
}
