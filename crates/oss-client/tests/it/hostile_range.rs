//! A server on 127.0.0.1 (the dev server's fault rules) that answers a ranged GET with a bad
//! `Content-Range`: malformed, missing, `*/size`, shifted, another range, or disagreeing with
//! `Content-Length`, on the first answer or on the resumed one. Every case is a typed
//! [`Error::ContentRange`] before any byte is handed out; nothing is read at offset 0 instead.

#![allow(clippy::unwrap_used, reason = "tests")]

use crate::common;

use futures::StreamExt as _;
use oss_client::http::HeaderMap;
use oss_client::{
    ByteRange, ContentRange, ContentRangeError, ContentRangePart as Part, Error, GetOptions,
    PutPayload, RangeProblem,
};
use oss_devserver::{FaultAction, FaultRule, Trigger};

use common::{client, data, server};

const SIZE: u64 = 1000;

fn set(name: &str, value: &str) -> FaultAction {
    FaultAction::SetHeader {
        name: name.into(),
        value: value.into(),
    }
}

const fn satisfied(first: u64, last: u64) -> ContentRange {
    ContentRange::Satisfied {
        first,
        last,
        size: SIZE,
    }
}

#[tokio::test]
async fn a_bad_content_range_on_a_partial_answer_is_refused_with_what_was_wrong() {
    let server = server().await;
    let client = client(&server);
    let body = data(1000, 3);
    client
        .put_object("r", PutPayload::from_bytes(body.clone()), &HeaderMap::new())
        .await
        .unwrap();
    let requested = ByteRange::Inclusive(100, 199);
    let cases = [
        (
            set("content-range", "bytes 100-199/*"),
            RangeProblem::Malformed(ContentRangeError::UnknownSize),
        ),
        (
            set("content-range", "bytes +100-199/1000"),
            RangeProblem::Malformed(ContentRangeError::NotDecimal(Part::First)),
        ),
        (
            set("content-range", "items 100-199/1000"),
            RangeProblem::Malformed(ContentRangeError::Unit),
        ),
        (
            set("content-range", "bytes 100-199/99999999999999999999"),
            RangeProblem::Malformed(ContentRangeError::Overflow(Part::Size)),
        ),
        (
            FaultAction::StripHeaders("content-range".into()),
            RangeProblem::Missing,
        ),
        (
            set("content-range", "bytes */1000"),
            RangeProblem::Unsatisfied {
                received: ContentRange::Unsatisfied { size: SIZE },
            },
        ),
        (
            FaultAction::ShiftContentRange(-16),
            RangeProblem::NotRequested {
                requested,
                received: satisfied(84, 183),
            },
        ),
        (
            set("content-range", "bytes 0-99/1000"),
            RangeProblem::NotRequested {
                requested,
                received: satisfied(0, 99),
            },
        ),
        (
            set("content-length", "50"),
            RangeProblem::LengthMismatch {
                content_length: 50,
                received: satisfied(100, 199),
            },
        ),
    ];
    let options = GetOptions::default().with_range(requested);
    for (action, expected) in cases {
        let label = format!("{action:?}");
        server
            .faults()
            .set_rules(vec![FaultRule::new("GetObject", Trigger::Always, action)]);
        match client.get_object("r", &options).await {
            Err(Error::ContentRange { operation, problem }) => {
                assert_eq!((operation, problem), ("GetObject", expected), "{label}");
            }
            other => panic!("{label}: expected a content-range error, got {other:?}"),
        }
    }
    // The same server without faults serves the range.
    server.faults().clear();
    let (meta, bytes) = client.get_object_bytes("r", &options).await.unwrap();
    assert_eq!((meta.status, &bytes[..]), (206, &body[100..200]));
    server.shutdown().await;
}

#[tokio::test]
async fn a_resumed_read_answered_with_another_range_ends_in_a_typed_error() {
    let server = server().await;
    let client = client(&server);
    client
        .put_object(
            "r",
            PutPayload::from_bytes(data(1000, 4)),
            &HeaderMap::new(),
        )
        .await
        .unwrap();
    // The whole-object read breaks after 300 bytes; the resumption asks for 300-999 and is
    // answered with bytes 284-983.
    server.faults().set_rules(vec![
        FaultRule::new("GetObject", Trigger::Nth(1), FaultAction::ResetAfter(300)),
        FaultRule::new(
            "GetObject",
            Trigger::Nth(2),
            FaultAction::ShiftContentRange(-16),
        ),
    ]);
    let response = client
        .get_object("r", &GetOptions::default())
        .await
        .unwrap();
    let (_, mut stream) = response.into_parts();
    let mut delivered = 0;
    let error = loop {
        match stream.next().await {
            Some(Ok(chunk)) => delivered += chunk.len(),
            Some(Err(e)) => break e,
            None => panic!("the stream ended without an error"),
        }
    };
    assert!(
        delivered <= 300,
        "only the bytes before the cut: {delivered}"
    );
    match error {
        Error::ContentRange { problem, .. } => assert_eq!(
            problem,
            RangeProblem::NotRequested {
                requested: ByteRange::Inclusive(300, 999),
                received: satisfied(284, 983),
            }
        ),
        other => panic!("expected a content-range error, got {other:?}"),
    }
    assert!(stream.next().await.is_none(), "nothing after the error");
    server.shutdown().await;
}
