//! `init DIR`: a minimal datasets folder for a study of one's own, that
//! validates and reports at once: every file with its header and one
//! example row, and a README of the columns. The example is a provincial
//! congress, declared by its sessions and named in `bodies.csv`, so a new
//! user sees how any body other than NPC and CPPCC is set up.

use std::path::Path;

use crate::error::{exit, Failure};

/// The files written, relative to the folder, with their contents.
const FILES: [(&str, &str); 9] = [
    (
        "bodies.csv",
        "id,name_en,name_zh,level,kind\n\
         zj-pc,Zhejiang Provincial People's Congress,浙江省人民代表大会,provincial,congress\n",
    ),
    (
        "sessions.csv",
        "year,body,opened\n\
         2025,zj-pc,2025-01-15\n\
         2026,zj-pc,2026-01-14\n",
    ),
    (
        "delegates.csv",
        "id,name_en,name_zh,aliases\n\
         wang-li,Wang Li,王丽,\n",
    ),
    (
        "memberships.csv",
        "delegate,body,from,to,last_seen,source\n\
         wang-li,zj-pc,2023,,2026,\"Example Daily, list of deputies, 2026-01-10; https://example.org/deputies\"\n",
    ),
    (
        "themes.csv",
        "id,category,label_en,label_zh,aliases,measures_searched\n\
         elderly-care,social,Elderly care,养老服务,elderly care;养老,\n\
         rural-roads,transport,Rural roads,农村公路,rural roads;农村道路,\n",
    ),
    (
        "adoptions.csv",
        "id,theme,measure,issuer,date,kind,stage,extent,scope,source\n\
         m-2025-elderly-care-rules,elderly-care,Provincial elderly-care regulations,Zhejiang People's Congress Standing Committee,2025-09-26,local-rule,final,full,provincial,\"Example Daily, 2025-09-27; https://example.org/rules\"\n",
    ),
    (
        "proposals/2025.csv",
        "id,year,delegate,body,title,themes,source\n\
         2025-wang-li,2025,Wang Li,zj-pc,More elderly-care centres in villages,养老; rural roads,\"Example Daily, 2025-01-16; https://example.org/2025\"\n",
    ),
    (
        "proposals/2026.csv",
        "id,year,delegate,body,title,themes,source\n\
         2026-wang-li,2026,王丽,zj-pc,Elderly care at home,elderly care,\"Example Daily, 2026-01-15; https://example.org/2026\"\n",
    ),
    ("README.md", README),
];

const README: &str = "# A datasets folder for proposal-diff

Every file is CSV with a header row (UTF-8; Excel's UTF-8 and GB18030 also
read). Column order is free; columns in [brackets] may be left out.

- `bodies.csv`: `id`, [`name_en`], [`name_zh`], [`level`: national,
  provincial, municipal, county], [`kind`: congress, consultative]. NPC and
  CPPCC are built in; any other body is declared by its rows in
  `sessions.csv` and named here.
- `sessions.csv`: `year`, `body`, `opened` (YYYY-MM-DD).
- `delegates.csv`: `id`, `name_en`, `name_zh`, [`aliases`], [`company`].
- `memberships.csv`: `delegate`, `body`, `from`, `to` (years; empty `to`:
  no end known), [`last_seen`: the last year a source confirms an open
  term], `source`.
- `themes.csv`: `id`, `category`, `label_en`, `label_zh`, [`aliases`],
  [`cap_major`], [`measures_searched`: YYYY-YYYY].
- `adoptions.csv`: `id`, `theme`, `measure`, `issuer`, `date`, `kind` (law,
  regulation, standard, pilot, local-rule, plan, reply), `source`,
  [`stage`], [`extent`], [`found_by`], [`in_force`], [`names`],
  [`proposals`], [`timing`], [`scope`: national, provincial, local],
  [`confidence`].
- `proposals/<YYYY>.csv`: `id`, `year`, `delegate` (any name or alias),
  `body`, `title`, `themes` (`;`-separated phrases), `source`, [`title_zh`],
  [`company`], [`summary`], [`date`], [`confidence`], [`note`].

Then: `proposal-diff --datasets DIR validate`, and
`proposal-diff --datasets DIR report --out REPORTS`.
";

pub fn run(dir: &Path) -> Result<u8, Failure> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| {
                Failure::Tool(
                    anyhow::Error::new(e).context(format!("cannot read {}", dir.display())),
                )
            })?
            .next()
            .is_none();
        if !empty {
            return Err(Failure::Usage(format!(
                "{} exists and is not empty: init writes a new folder",
                dir.display()
            )));
        }
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        let write = || -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, text)
        };
        write().map_err(|e| {
            Failure::Tool(anyhow::Error::new(e).context(format!("cannot write {}", path.display())))
        })?;
    }
    crate::write_stdout(
        format!(
            "wrote a datasets folder in {0}: try `proposal-diff --datasets {0} validate`, then `proposal-diff --datasets {0} report --out reports`\n",
            dir.display()
        )
        .as_bytes(),
    )?;
    Ok(exit::OK)
}
