//! The IPP backend (the `ipp` crate's blocking client): CUPS queues and IPP Everywhere printers.
//! Before a job goes out the printer's state and reasons are read (RFC 8011 §5.4.11-12): a
//! stopped printer, or one reporting an error such as media-empty, keeps the job queued with
//! that reason. Jobs are named, so a retry can ask Get-Jobs whether the job is already there.

use super::{PrintError, Refusal};
use ipp::prelude::*;
use std::time::Duration;

/// printer-state values (RFC 8011 §5.4.11).
const STOPPED: i32 = 5;
/// job-state values that mean the job will not print (RFC 8011 §5.3.7): canceled, aborted.
const JOB_DEAD: [i32; 2] = [7, 8];

pub struct IppPrinter {
    uri: Uri,
}

impl IppPrinter {
    pub fn new(uri: &str) -> Result<IppPrinter, PrintError> {
        let parsed: Uri = uri
            .parse()
            .map_err(|_| PrintError::BadUri(uri.to_string()))?;
        if parsed.host().is_none() {
            return Err(PrintError::BadUri(uri.to_string()));
        }
        Ok(IppPrinter { uri: parsed })
    }

    fn client(&self) -> IppClient {
        IppClient::builder(self.uri.clone())
            .request_timeout(Duration::from_secs(30))
            .build()
    }

    fn call(&self, request: impl Into<IppRequestResponse>) -> Result<IppRequestResponse, Refusal> {
        let response = self
            .client()
            .send(request)
            .map_err(|e| Refusal::Later(format!("printer {} unreachable: {e}", self.uri)))?;
        let status = response.header().status_code();
        if status.is_success() {
            return Ok(response);
        }
        let reason = format!("printer {} answered {status}", self.uri);
        Err(match status {
            StatusCode::ClientErrorDocumentFormatNotSupported
            | StatusCode::ClientErrorDocumentFormatError
            | StatusCode::ClientErrorBadRequest
            | StatusCode::ClientErrorNotFound
            | StatusCode::ClientErrorGone => Refusal::Never(reason),
            _ => Refusal::Later(reason),
        })
    }

    pub fn check_ready(&self) -> Result<(), Refusal> {
        let op = IppOperationBuilder::get_printer_attributes(self.uri.clone())
            .attributes([
                "printer-state",
                "printer-state-reasons",
                "printer-is-accepting-jobs",
            ])
            .build()
            .map_err(|e| Refusal::Never(e.to_string()))?;
        let response = self.call(op)?;
        let attrs = response.attributes();
        let Some(group) = attrs.groups_of(DelimiterTag::PrinterAttributes).next() else {
            return Err(Refusal::Later("printer sent no attributes".into()));
        };
        let reasons: Vec<String> = match group.get("printer-state-reasons").map(|a| a.value()) {
            Some(IppValue::Array(values)) => values.iter().map(|v| v.to_string()).collect(),
            Some(value) => vec![value.to_string()],
            None => Vec::new(),
        };
        let state = match group.get("printer-state").map(|a| a.value()) {
            Some(IppValue::Enum(s)) => Some(*s),
            _ => None,
        };
        let accepting = !matches!(
            group.get("printer-is-accepting-jobs").map(|a| a.value()),
            Some(IppValue::Boolean(false))
        );
        match not_ready(state, &reasons, accepting) {
            Some(reason) => Err(Refusal::Later(reason)),
            None => Ok(()),
        }
    }

    pub fn holds(&self, job_name: &str) -> Result<bool, Refusal> {
        let bad = |e: ipp::parser::IppParseError| Refusal::Never(e.to_string());
        let mut request = IppRequestResponse::new(
            IppVersion::v1_1(),
            Operation::GetJobs,
            Some(self.uri.clone()),
        )
        .map_err(bad)?;
        let ops = request.attributes_mut();
        ops.add(
            DelimiterTag::OperationAttributes,
            IppAttribute::with_name("which-jobs", IppValue::new_keyword("all").map_err(bad)?)
                .map_err(bad)?,
        );
        ops.add(
            DelimiterTag::OperationAttributes,
            IppAttribute::with_name(
                "requested-attributes",
                IppValue::Array(vec![
                    IppValue::new_keyword("job-name").map_err(bad)?,
                    IppValue::new_keyword("job-state").map_err(bad)?,
                ]),
            )
            .map_err(bad)?,
        );
        let response = self.call(request)?;
        let held = response
            .attributes()
            .groups_of(DelimiterTag::JobAttributes)
            .any(|job| {
                let named = job
                    .get("job-name")
                    .is_some_and(|a| a.value().to_string() == job_name);
                let dead = matches!(
                    job.get("job-state").map(|a| a.value()),
                    Some(IppValue::Enum(s)) if JOB_DEAD.contains(s)
                );
                named && !dead
            });
        Ok(held)
    }

    pub fn send(&self, job_name: &str, pdf: &[u8]) -> Result<Option<i32>, Refusal> {
        let payload = IppPayload::new(std::io::Cursor::new(pdf.to_vec()));
        let op = IppOperationBuilder::print_job(self.uri.clone(), payload)
            .user_name("sskiosk")
            .job_title(job_name)
            .document_format("application/pdf")
            .build()
            .map_err(|e| Refusal::Never(e.to_string()))?;
        let response = self.call(op)?;
        let job_id = response
            .attributes()
            .groups_of(DelimiterTag::JobAttributes)
            .find_map(|g| match g.get("job-id").map(|a| a.value()) {
                Some(IppValue::Integer(id)) => Some(*id),
                _ => None,
            });
        Ok(job_id)
    }
}

/// Why a printer in this state cannot print now, in its own words; `None` when it can.
/// "-report" and "-warning" reasons are informational (RFC 8011 §5.4.12); any other reason but
/// "none" (e.g. "media-empty", "media-empty-error", "paused") stops printing.
fn not_ready(state: Option<i32>, reasons: &[String], accepting: bool) -> Option<String> {
    let blocking: Vec<&str> = reasons
        .iter()
        .map(String::as_str)
        .filter(|r| *r != "none" && !r.ends_with("-report") && !r.ends_with("-warning"))
        .collect();
    if state == Some(STOPPED) || !blocking.is_empty() {
        let said = if blocking.is_empty() {
            "no reason given".to_string()
        } else {
            blocking.join(", ")
        };
        return Some(format!("printer stopped: {said}"));
    }
    (!accepting).then(|| "printer is not accepting jobs".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(r: &[&str]) -> Vec<String> {
        r.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_idle_printer_with_only_warnings_is_ready() {
        assert_eq!(not_ready(Some(3), &reasons(&["none"]), true), None);
        assert_eq!(
            not_ready(
                Some(4),
                &reasons(&["toner-low-warning", "media-low-report"]),
                true
            ),
            None
        );
    }

    #[test]
    fn stopped_out_of_paper_or_refusing_printers_say_why() {
        assert_eq!(
            not_ready(Some(5), &reasons(&["paused"]), true).unwrap(),
            "printer stopped: paused"
        );
        assert_eq!(
            not_ready(Some(3), &reasons(&["media-empty-error"]), true).unwrap(),
            "printer stopped: media-empty-error"
        );
        assert_eq!(
            not_ready(Some(5), &[], true).unwrap(),
            "printer stopped: no reason given"
        );
        assert_eq!(
            not_ready(Some(3), &reasons(&["none"]), false).unwrap(),
            "printer is not accepting jobs"
        );
    }
}
