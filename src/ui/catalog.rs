//! Adapter of the `CatalogAdapter` global: fields, search as the citizen types, procedure detail.
//! Search runs on the UI thread on purpose: it is an in-memory index answering in well under a
//! millisecond for a commune catalog and a few milliseconds for 10,000 procedures (docs/benchmarks.md).

use crate::app::catalog::Catalog;
use crate::config::Config;
use crate::domain::catalog::describe;
use crate::store::catalog::StoredProcedure;
use crate::{AppWindow, CatalogAdapter, DetailSection, FieldRow, ProcedureDetail, ProcedureRow};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::cell::RefCell;
use std::rc::Rc;

/// What the list shows: positions in the catalog.
struct Listing {
    shown: Vec<usize>,
}

fn row(s: &StoredProcedure) -> ProcedureRow {
    let p = &s.procedure;
    ProcedureRow {
        code: p.code.as_str().into(),
        name: p.name.as_str().into(),
        field: p.field_name().into(),
        verified: p.verified,
    }
}

/// The detail structure shown for one procedure.
pub fn detail(s: &StoredProcedure) -> ProcedureDetail {
    let p = &s.procedure;
    let sections: Vec<DetailSection> = describe(p)
        .into_iter()
        .map(|x| DetailSection { key: x.kind.key().into(), subject: x.subject.into(), text: x.text.into() })
        .collect();
    ProcedureDetail {
        code: p.code.as_str().into(),
        name: p.name.as_str().into(),
        field: p.field_name().into(),
        online: p.online_url.clone().unwrap_or_default().into(),
        verified: p.verified,
        sections: ModelRc::new(VecModel::from(sections)),
    }
}

fn show(
    adapter: &CatalogAdapter<'_>,
    catalog: &Catalog,
    listing: &mut Listing,
    title: SharedString,
    shown: Vec<usize>,
) {
    let rows: Vec<ProcedureRow> = shown.iter().map(|&i| row(&catalog.procedures()[i])).collect();
    adapter.set_procedures(ModelRc::new(VecModel::from(rows)));
    adapter.set_list_title(title);
    listing.shown = shown;
}

pub fn connect(window: &AppWindow, config: &Config, catalog: Rc<Catalog>) {
    let adapter = window.global::<CatalogAdapter>();
    adapter.set_center_name(config.center.name.to_uppercase().into());
    adapter.set_center_address(format!("{} · {}", config.center.province, config.center.address).into());
    adapter.set_demo_data(config.center.demo);
    let fields: Vec<FieldRow> =
        catalog.fields().iter().map(|(name, n)| FieldRow { name: name.as_str().into(), count: *n as i32 }).collect();
    adapter.set_fields(ModelRc::new(VecModel::from(fields)));
    adapter.set_has_detail(false);

    let listing = Rc::new(RefCell::new(Listing { shown: Vec::new() }));
    let limit = config.catalog.search_limit as usize;
    let all_title = || SharedString::from(format!("Tất cả thủ tục ({})", catalog.len()));
    show(&adapter, &catalog, &mut listing.borrow_mut(), all_title(), (0..catalog.len()).collect());

    let weak = window.as_weak();
    let (c, l) = (catalog.clone(), listing.clone());
    adapter.on_search(move |query| {
        let Some(window) = weak.upgrade() else { return };
        let adapter = window.global::<CatalogAdapter>();
        if query.trim().is_empty() {
            let title = SharedString::from(format!("Tất cả thủ tục ({})", c.len()));
            show(&adapter, &c, &mut l.borrow_mut(), title, (0..c.len()).collect());
            return;
        }
        let found: Vec<usize> = c.search(&query, limit).into_iter().map(|f| f.index).collect();
        let title = SharedString::from(format!("Kết quả cho “{}” ({})", query.trim(), found.len()));
        show(&adapter, &c, &mut l.borrow_mut(), title, found);
    });

    let weak = window.as_weak();
    let (c, l) = (catalog.clone(), listing.clone());
    adapter.on_pick_field(move |i| {
        let Some(window) = weak.upgrade() else { return };
        let Some((field, _)) = c.fields().get(i as usize) else { return };
        let adapter = window.global::<CatalogAdapter>();
        adapter.set_query(SharedString::new());
        let shown = c.in_field(field);
        let title = SharedString::from(format!("{field} ({})", shown.len()));
        show(&adapter, &c, &mut l.borrow_mut(), title, shown);
    });

    let weak = window.as_weak();
    let (c, l) = (catalog, listing);
    adapter.on_pick_procedure(move |i| {
        let Some(window) = weak.upgrade() else { return };
        let Some(&index) = l.borrow().shown.get(i as usize) else { return };
        let adapter = window.global::<CatalogAdapter>();
        adapter.set_detail(detail(&c.procedures()[index]));
        adapter.set_has_detail(true);
    });

    let weak = window.as_weak();
    adapter.on_close_detail(move || {
        if let Some(window) = weak.upgrade() {
            window.global::<CatalogAdapter>().set_has_detail(false);
        }
    });
}
