"""The edition's one stylesheet, inlined into every page (a few KB: no extra request before first paint).

Status badges carry their name in text beside a colour dot, so the colour never carries meaning alone
and the text keeps full contrast whatever the status colour.
"""

from __future__ import annotations

from functools import cache

from tracker.statuses import COLORS

BASE = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
color:#1b1b1b;background:#fff}
a{color:#0b57a4}
a:focus-visible{outline:3px solid #0b57a4;outline-offset:2px}
.skip{position:absolute;inset-inline-start:-9999px}
.skip:focus{inset-inline-start:8px;top:8px;background:#fff;padding:6px;z-index:1}
.wrap{max-width:62rem;margin:0 auto;padding:0 1rem}
header{border-bottom:1px solid #d6d6d6;background:#f7f7f7}
header .wrap{display:flex;flex-wrap:wrap;align-items:baseline;gap:.25rem 1.25rem;padding-top:.6rem;padding-bottom:.6rem}
.site{font-weight:700;color:#1b1b1b;text-decoration:none}
nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
nav a{display:inline-block;padding:.35rem 0}
nav a[aria-current]{color:#1b1b1b;font-weight:700;text-decoration:none}
.lang{margin-left:auto}
h1{font-size:1.6rem;line-height:1.25;margin:1.25rem 0 .5rem}
h2{font-size:1.3rem;line-height:1.3;margin:2rem 0 .5rem}
h3{font-size:1.05rem;margin:1.25rem 0 .25rem}
p,ul,ol{margin:.5rem 0}
.meta{color:#555;font-size:.9rem}
.demo{background:#fff4ce;border:1px solid #c9a227;padding:.5rem .75rem}
.lead{font-size:1.15rem}
.b{display:inline-block;border:1px solid #8a8a8a;border-radius:1rem;padding:0 .55rem;font-size:.85rem;
font-weight:600;white-space:nowrap;background:#fff;color:#1b1b1b}
.b::before{content:"";display:inline-block;width:.7rem;height:.7rem;border-radius:50%;margin-right:.35rem;
vertical-align:-.05rem;background:var(--c);border:1px solid rgba(0,0,0,.35)}
.nc{border-style:dashed;font-weight:400}
.nc::before{display:none}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.5rem;list-style:none;padding:0}
.figures li{border:1px solid #d6d6d6;border-top:.4rem solid var(--c);border-radius:.3rem;padding:.4rem .6rem}
.figures strong{display:block;font-size:1.6rem;line-height:1.2}
figure{margin:1rem 0}
figure svg,figure img{display:block;width:100%;height:auto;max-width:48rem}
.tracker-chart{direction:ltr} /* drawn left to right: inline in a right-to-left page too */
.narrow{display:none}
@media (max-width:40rem){.wide{display:none}.narrow{display:block}}
figcaption{font-size:.9rem;color:#555}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.9rem;min-width:100%}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border-bottom:1px solid #d6d6d6;padding:.3rem .5rem;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}
thead th{border-bottom:2px solid #8a8a8a}
details{margin:.75rem 0}
summary{cursor:pointer;color:#0b57a4;padding:.35rem 0}
pre{white-space:pre-wrap;word-break:break-all;background:#f2f2f2;padding:.5rem;font-size:.8rem}
.list{list-style:none;padding:0}
.list li{border-top:1px solid #e2e2e2;padding:.5rem 0}
.code{font-variant-numeric:tabular-nums;color:#555}
blockquote{margin:.75rem 0;padding:.5rem 1rem;border-left:.3rem solid #8a8a8a;font-size:1.15rem;background:#f7f7f7}
.change{border:1px solid #d6d6d6;border-radius:.3rem;padding:.6rem .8rem;margin:.75rem 0}
.corrected{border-style:dashed}
.note{font-weight:600}
.rationale{white-space:pre-wrap}
dl{margin:.5rem 0}
dt{font-weight:600}
dd{margin:0 0 .5rem}
footer{border-top:1px solid #d6d6d6;margin-top:2.5rem;padding:1rem 0 2rem;color:#555;font-size:.9rem}
.pages{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}
.pages a{display:inline-block;min-width:2.75rem;padding:.4rem;text-align:center}
"""


@cache
def stylesheet() -> str:
    lines = [line.strip() for line in BASE.strip().splitlines()]  # a rule may go on over several lines
    lines += [f".s-{status}{{--c:{color}}}" for status, color in COLORS.items()]
    return "".join(lines)
