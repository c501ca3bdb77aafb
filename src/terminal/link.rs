//! The terminal's link to the center: the current client (replaced after a certificate
//! renewal) and whether the center answered lately. Every part of the terminal that talks to
//! the center goes through it, and reports what it saw, so the screen shows 暂停服务 as soon as
//! the center stops answering and returns by itself when it answers again.

use super::client::{CenterClient, CenterError};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

type Listener = Box<dyn Fn(bool) + Send + Sync>;

pub struct Link {
    client: RwLock<Arc<CenterClient>>,
    up: AtomicBool,
    /// Called with the new state whenever it flips.
    on_change: RwLock<Option<Listener>>,
}

impl Link {
    pub fn new(client: CenterClient) -> Link {
        Link {
            client: RwLock::new(Arc::new(client)),
            up: AtomicBool::new(true),
            on_change: RwLock::new(None),
        }
    }

    pub fn client(&self) -> Arc<CenterClient> {
        self.client
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn replace(&self, client: CenterClient) {
        *self.client.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(client);
    }

    pub fn on_change(&self, f: impl Fn(bool) + Send + Sync + 'static) {
        *self.on_change.write().unwrap_or_else(|e| e.into_inner()) = Some(Box::new(f));
    }

    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::SeqCst)
    }

    /// Records what a call to the center showed: an answer means it is up; no answer, a 5xx
    /// (the center cannot reach its store) or a refusal of this terminal itself (revoked, or
    /// its certificate no longer valid) means this terminal cannot serve anyone.
    pub fn saw<T>(&self, result: &Result<T, CenterError>) {
        let up = match result {
            Ok(_) => true,
            Err(CenterError::Refused { status, code, .. }) => {
                *status < 500 && !code.starts_with("terminal_")
            }
            Err(_) => false,
        };
        self.set(up);
    }

    pub fn set(&self, up: bool) {
        if self.up.swap(up, Ordering::SeqCst) != up {
            if up {
                tracing::info!("the center answers again");
            } else {
                tracing::warn!("the center does not answer: 暂停服务 until it does");
            }
            if let Some(f) = &*self.on_change.read().unwrap_or_else(|e| e.into_inner()) {
                f(up);
            }
        }
    }
}
