//! The static pages (kiosk-ui/: kiosk/, staff/, shared assets) served by the binary. Release
//! builds embed the folder, so a kiosk PC needs only the one file; debug builds read it from disk
//! (rust-embed's default), so editing a page needs no rebuild in development.

use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{web, HttpResponse};

#[derive(rust_embed::RustEmbed)]
#[folder = "kiosk-ui/"]
struct Pages;

/// The center's pages: `GET /ui/{path}` and the staff entry point `/staff/`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff", web::get().to(|| redirect("/staff/")))
        .route("/staff/", web::get().to(|| page("staff/index.html")))
        // The service hall's public pages (docs/service-hall.md).
        .route(
            "/catalogue/",
            web::get().to(|| page("catalogue/index.html")),
        )
        .route("/hall/", web::get().to(|| page("hall/index.html")))
        .route("/queue/{ref}", web::get().to(|| page("queue/index.html")))
        .configure(assets);
}

/// A kiosk terminal's pages: `GET /ui/{path}` and the entry point `/kiosk/`.
pub fn configure_kiosk(cfg: &mut web::ServiceConfig) {
    cfg.route("/kiosk", web::get().to(|| redirect("/kiosk/")))
        .route("/kiosk/", web::get().to(|| page("kiosk/index.html")))
        .configure(assets);
}

fn assets(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/ui/{path:.*}",
        web::get().to(|path: web::Path<String>| page_owned(path.into_inner())),
    );
}

async fn redirect(to: &'static str) -> HttpResponse {
    HttpResponse::Found()
        .insert_header((header::LOCATION, to))
        .finish()
}

async fn page_owned(path: String) -> HttpResponse {
    page(&path).await
}

async fn page(path: &str) -> HttpResponse {
    // rust-embed refuses `..` and absolute paths itself; a miss is a plain 404.
    match Pages::get(path) {
        Some(file) => HttpResponse::Ok()
            .content_type(file.metadata.mimetype())
            // Pages change with the binary; a stale cached script against a new API is worse
            // than a re-fetch on a loopback connection.
            .insert_header(CacheControl(vec![CacheDirective::NoCache]))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .body(file.data.into_owned()),
        None => actix_web::ResponseError::error_response(&crate::web::error::ApiError::NotFound(
            "no such page".into(),
        )),
    }
}
