//! Card proofs on the terminal port: a challenge from the center, the card's answer relayed by
//! the terminal, and the session the center opens for it (docs/terminals.md). Also the center
//! as the security module of 3.00 reads, and a window terminal's card for its clerk.

use super::TerminalPeer;
use crate::audit::{self, NewEntry};
use crate::center::admission::{self, Admitted};
use crate::center::card_proof::ProofError;
use crate::center::terminals::TerminalKind;
use crate::domain::CitizenId;
use crate::protocol::{self, *};
use crate::web::error::ApiError;
use crate::web::metrics::{self, CardRefusal};
use actix_web::{post, web, HttpRequest, HttpResponse};

fn bad(what: &str) -> ApiError {
    ApiError::Unprocessable {
        code: "card_request_invalid",
        message: format!("{what} is malformed"),
    }
}

pub(crate) fn bearer(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string)
}

fn no_session() -> ApiError {
    ApiError::Unauthorized {
        code: "kiosk_session_ended",
        message: "the kiosk session has ended (card removed, idle, or another card): insert the card again".into(),
    }
}

#[post("/terminal/v1/card/challenge")]
pub async fn new_challenge(peer: TerminalPeer, _body: web::Json<ChallengeRequest>) -> HttpResponse {
    let (id, challenge) = peer.state.center.challenges.issue(&peer.terminal.name);
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(Challenge {
            id,
            challenge: hex::encode(challenge),
        })
}

/// Checks a card's proof: the claimed card must be in the store, active, and its answer the
/// one its key gives to the center's challenge. Failures are audited against the claimed ID
/// number (someone presented that citizen's card data). Blocking.
fn prove(
    conn: &mut crate::db::DbConn,
    state: &crate::web::AppState,
    terminal: &str,
    proof: &OpenSession,
    for_session: bool,
) -> Result<Result<Admitted, Refusal>, ApiError> {
    let ssn = CitizenId::parse(&proof.card.ssn).map_err(|_| bad("the card's ID number"))?;
    let answer = hex::decode(proof.answer.trim()).map_err(|_| bad("the card's answer"))?;
    let card_no = proof.card.card_no.trim();
    metrics::card_read();
    let checked = if for_session {
        admission::admit(conn, &ssn, card_no)
    } else {
        admission::identify(conn, &ssn, card_no)
    };
    let admitted = match checked {
        Ok(a) => a,
        Err(refusal) => {
            metrics::card_refused(CardRefusal::Refusal(&refusal));
            return Ok(Err(refusal));
        }
    };
    match state.center.challenges.check(
        terminal,
        &proof.challenge_id,
        &admitted.card_id_code,
        &answer,
    ) {
        Ok(()) => Ok(Ok(admitted)),
        Err(e) => {
            tracing::warn!(terminal, ssn = %ssn.masked(), "card proof refused: {e}");
            audit::append(
                conn,
                &NewEntry {
                    actor: format!("terminal:{terminal}"),
                    action: "card.proof".into(),
                    subject_ssn: Some(ssn.as_str().to_string()),
                    purpose: None,
                    result: "denied".into(),
                    detail: Some(e.to_string()),
                },
                chrono::Utc::now().naive_utc(),
            )
            .map_err(|e| ApiError::Unavailable(e.to_string()))?;
            metrics::card_refused(match e {
                ProofError::NoChallenge => CardRefusal::UnknownChallenge,
                ProofError::WrongAnswer => CardRefusal::Refusal(&Refusal::NotGenuine),
            });
            match e {
                ProofError::NoChallenge => Err(ApiError::Forbidden {
                    code: "card_challenge_unknown",
                    message: e.to_string(),
                }),
                ProofError::WrongAnswer => Ok(Err(Refusal::NotGenuine)),
            }
        }
    }
}

/// `POST /terminal/v1/card/session`: a kiosk session for the card that answered the center's
/// challenge, bound to this terminal, this card and this citizen.
#[post("/terminal/v1/card/session")]
pub async fn open(
    peer: TerminalPeer,
    body: web::Json<OpenSession>,
) -> Result<HttpResponse, ApiError> {
    if peer.terminal.kind != TerminalKind::Kiosk {
        return Err(ApiError::Forbidden {
            code: "wrong_terminal_kind",
            message: "only kiosk terminals open citizen sessions".into(),
        });
    }
    let state = peer.state.clone();
    let terminal = peer.terminal.name.clone();
    let proof = body.into_inner();
    let reader = proof.reader.chars().take(100).collect::<String>();
    let outcome = crate::web::with_pooled(&peer.state.pool, move |conn| {
        if !crate::devices::registry::in_service(conn, &terminal)
            .map_err(|e| ApiError::Unavailable(e.to_string()))?
        {
            metrics::card_read();
            metrics::card_refused(CardRefusal::Refusal(&Refusal::OutOfService));
            return Ok(Opened::Refused {
                reason: Refusal::OutOfService,
            });
        }
        Ok(match prove(conn, &state, &terminal, &proof, true)? {
            Ok(admitted) => {
                let name = admitted.holder.name.clone();
                tracing::info!(%terminal, ssn = %admitted.holder.ssn.masked(), "kiosk: session opened");
                let token = state.center.sessions.open(&terminal, &reader, admitted.holder);
                Opened::Opened {
                    token,
                    name,
                    idle_timeout_seconds: state.config.kiosk.idle_timeout_seconds,
                }
            }
            Err(reason) => {
                tracing::info!(%terminal, ?reason, "kiosk: card refused");
                Opened::Refused { reason }
            }
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(outcome))
}

/// `POST /terminal/v1/card/reprove`: the card proves itself again inside its session (before a
/// certificate is issued).
#[post("/terminal/v1/card/reprove")]
pub async fn reprove(
    req: HttpRequest,
    peer: TerminalPeer,
    body: web::Json<Reprove>,
) -> Result<HttpResponse, ApiError> {
    let token = bearer(&req).ok_or_else(no_session)?;
    let center = peer.state.center.clone();
    let citizen = center
        .sessions
        .authorize(&peer.terminal.name, &token)
        .ok_or_else(no_session)?;
    let state = peer.state.clone();
    let terminal = peer.terminal.name.clone();
    let body = body.into_inner();
    let proof = OpenSession {
        reader: citizen.reader.clone(),
        challenge_id: body.challenge_id,
        answer: body.answer,
        card: CardClaim {
            ssn: citizen.holder.ssn.as_str().to_string(),
            card_no: citizen.holder.card_no.clone(),
        },
    };
    let proven = crate::web::with_pooled(&peer.state.pool, move |conn| {
        prove(conn, &state, &terminal, &proof, true)
    })
    .await?;
    match proven {
        Ok(_) if center.sessions.proven(&peer.terminal.name, &token) => {
            Ok(HttpResponse::NoContent().finish())
        }
        Ok(_) => Err(no_session()),
        Err(reason) => {
            center.sessions.end(&peer.terminal.name, &token);
            Err(ApiError::Forbidden {
                code: "card_proof_failed",
                message: format!("the card did not prove itself again ({reason:?})"),
            })
        }
    }
}

/// `POST /terminal/v1/card/pin`: the card accepted its holder's PIN (the terminal saw the
/// card's answer to VERIFY; the PIN itself never leaves the terminal).
#[post("/terminal/v1/card/pin")]
pub async fn pin(req: HttpRequest, peer: TerminalPeer) -> Result<HttpResponse, ApiError> {
    let token = bearer(&req).ok_or_else(no_session)?;
    if peer
        .state
        .center
        .sessions
        .pin_verified(&peer.terminal.name, &token)
    {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(no_session())
    }
}

/// `POST /terminal/v1/card/touch`: the citizen is still there ("continue").
#[post("/terminal/v1/card/touch")]
pub async fn touch(req: HttpRequest, peer: TerminalPeer) -> Result<HttpResponse, ApiError> {
    let token = bearer(&req).ok_or_else(no_session)?;
    peer.state
        .center
        .sessions
        .authorize(&peer.terminal.name, &token)
        .ok_or_else(no_session)?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /terminal/v1/card/end`: the card left, or the citizen logged out.
#[post("/terminal/v1/card/end")]
pub async fn end(req: HttpRequest, peer: TerminalPeer) -> HttpResponse {
    if let Some(token) = bearer(&req) {
        peer.state.center.sessions.end(&peer.terminal.name, &token);
    }
    HttpResponse::NoContent().finish()
}

/// `POST /terminal/v1/hsm/external`: the cryptogram a 3.00 card wants for its own challenge.
#[post("/terminal/v1/hsm/external")]
pub async fn external(
    peer: TerminalPeer,
    body: web::Json<ExternalRequest>,
) -> Result<HttpResponse, ApiError> {
    let card_id = protocol::bytes::<16>(&body.card_id).ok_or_else(|| bad("card_id"))?;
    let challenge = protocol::bytes::<8>(&body.challenge).ok_or_else(|| bad("challenge"))?;
    let cryptogram = peer
        .state
        .center
        .challenges
        .external_cryptogram(&card_id, &challenge);
    Ok(HttpResponse::Ok().json(ExternalReply {
        cryptogram: hex::encode(cryptogram),
    }))
}

/// `POST /terminal/v1/hsm/internal`: whether a card's answer to the terminal's own challenge
/// is genuine (during a 3.00 read).
#[post("/terminal/v1/hsm/internal")]
pub async fn internal(
    peer: TerminalPeer,
    body: web::Json<InternalRequest>,
) -> Result<HttpResponse, ApiError> {
    let card_id = protocol::bytes::<16>(&body.card_id).ok_or_else(|| bad("card_id"))?;
    let challenge = protocol::bytes::<8>(&body.challenge).ok_or_else(|| bad("challenge"))?;
    let response = hex::decode(body.response.trim()).map_err(|_| bad("response"))?;
    let genuine = peer
        .state
        .center
        .challenges
        .genuine(&card_id, &challenge, &response);
    Ok(HttpResponse::Ok().json(InternalReply { genuine }))
}

/// `POST /terminal/v1/window/card`: the card proven present in a window terminal's reader, for
/// its clerk's lookup by card; `proof: null` when the card left.
#[post("/terminal/v1/window/card")]
pub async fn window_card(
    peer: TerminalPeer,
    body: web::Json<WindowCard>,
) -> Result<HttpResponse, ApiError> {
    if peer.terminal.kind != TerminalKind::Window {
        return Err(ApiError::Forbidden {
            code: "wrong_terminal_kind",
            message: "only window terminals report cards for a clerk".into(),
        });
    }
    let center = peer.state.center.clone();
    let terminal = peer.terminal.name.clone();
    let Some(proof) = body.into_inner().proof else {
        center.window_cards.left(&terminal);
        return Ok(HttpResponse::Ok().json(WindowCardReply {
            accepted: true,
            refusal: None,
        }));
    };
    let state = peer.state.clone();
    let name = terminal.clone();
    let proven = crate::web::with_pooled(&peer.state.pool, move |conn| {
        prove(conn, &state, &name, &proof, false)
    })
    .await?;
    Ok(HttpResponse::Ok().json(match proven {
        Ok(admitted) => {
            center.window_cards.present(&terminal, admitted.holder);
            WindowCardReply {
                accepted: true,
                refusal: None,
            }
        }
        Err(refusal) => {
            center.window_cards.left(&terminal);
            WindowCardReply {
                accepted: false,
                refusal: Some(refusal),
            }
        }
    }))
}
