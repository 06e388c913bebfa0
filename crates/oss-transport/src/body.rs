//! Response bodies read with a size cap, so a misbehaving server cannot exhaust memory.

use futures::StreamExt as _;

/// Why a capped body read failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BodyError {
    /// The body is (or announced to be) longer than the cap.
    #[error("response body larger than {limit} bytes")]
    TooLarge {
        /// The cap in bytes.
        limit: usize,
    },
    /// The connection failed while reading.
    #[error(transparent)]
    Transport(#[from] reqwest::Error),
}

impl BodyError {
    /// Whether reading again may succeed (a cut connection may; an oversized body will not).
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::TooLarge { .. } => false,
            Self::Transport(e) => crate::is_retryable(e),
        }
    }
}

/// Appends the whole body of `response` to `out`, refusing bodies over `limit` bytes (by
/// `Content-Length` before reading, else as soon as the cap is passed). The caller owns the
/// buffer, so a secret-bearing body can go straight into a zeroizing one; it is reserved up
/// front from `Content-Length` to avoid reallocations that would leave copies behind.
///
/// # Errors
///
/// [`BodyError::TooLarge`] over the cap; [`BodyError::Transport`] when the connection fails.
pub async fn read_capped(
    response: reqwest::Response,
    limit: usize,
    out: &mut Vec<u8>,
) -> Result<(), BodyError> {
    let too_large = BodyError::TooLarge { limit };
    if let Some(announced) = response.content_length() {
        let announced = usize::try_from(announced).map_err(|_| BodyError::TooLarge { limit })?;
        if announced > limit {
            return Err(too_large);
        }
        out.reserve(announced);
    }
    let start = out.len();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if out.len() - start + chunk.len() > limit {
            return Err(too_large);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(())
}

/// Up to `limit` bytes of the body of `response`, for error answers: what arrives past the
/// cap, or after a read error, is dropped.
pub async fn read_truncated(response: reqwest::Response, limit: usize) -> Vec<u8> {
    let mut body = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(Ok(chunk)) = stream.next().await {
        body.extend_from_slice(&chunk);
        if body.len() >= limit {
            body.truncate(limit);
            break;
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    use tokio::net::TcpListener;

    use super::*;

    /// Serves one response with `head` (status line and headers) and `body`.
    async fn serve_once(head: &'static str, body: Vec<u8>) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 2048];
            let _ = socket.read(&mut request).await.unwrap();
            socket.write_all(head.as_bytes()).await.unwrap();
            let _ = socket.write_all(&body).await;
        });
        url
    }

    async fn get(url: &str) -> reqwest::Response {
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        http.get(url).send().await.unwrap()
    }

    #[tokio::test]
    async fn bodies_within_the_cap_are_read_whole() {
        let url = serve_once(
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
            b"hello".to_vec(),
        )
        .await;
        let mut out = b">".to_vec();
        read_capped(get(&url).await, 5, &mut out).await.unwrap();
        assert_eq!(out, b">hello");
    }

    #[tokio::test]
    async fn announced_and_chunked_bodies_over_the_cap_are_refused() {
        let url = serve_once(
            "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n",
            b"hello!".to_vec(),
        )
        .await;
        let error = read_capped(get(&url).await, 5, &mut Vec::new())
            .await
            .unwrap_err();
        assert!(matches!(error, BodyError::TooLarge { limit: 5 }) && !error.is_retryable());

        let chunked = b"4\r\nhell\r\n4\r\no th\r\n0\r\n\r\n".to_vec();
        let url = serve_once(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            chunked,
        )
        .await;
        let error = read_capped(get(&url).await, 5, &mut Vec::new())
            .await
            .unwrap_err();
        assert!(matches!(error, BodyError::TooLarge { limit: 5 }), "{error}");
    }

    #[tokio::test]
    async fn a_cut_body_is_a_retryable_transport_error() {
        let url = serve_once(
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
            b"short".to_vec(),
        )
        .await;
        let error = read_capped(get(&url).await, 1000, &mut Vec::new())
            .await
            .unwrap_err();
        assert!(
            matches!(error, BodyError::Transport(_)) && error.is_retryable(),
            "{error}"
        );
    }

    #[tokio::test]
    async fn error_bodies_are_truncated_at_the_cap() {
        let url = serve_once(
            "HTTP/1.1 500 Oops\r\nContent-Length: 10\r\n\r\n",
            b"0123456789".to_vec(),
        )
        .await;
        assert_eq!(read_truncated(get(&url).await, 4).await, b"0123");
    }
}
