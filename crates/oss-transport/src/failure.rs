//! Which transport failures a retry may cure.

/// Whether sending the request again may succeed after `error`: connection failures, timeouts
/// and bodies cut mid-way may; a request that could not be built or a redirect (the clients
/// follow none) will fail the same way again. Without content-decoding features, reqwest's
/// "decode" errors are cut bodies, hence retryable.
#[must_use]
pub fn is_retryable(error: &reqwest::Error) -> bool {
    !(error.is_builder() || error.is_redirect())
}

#[cfg(test)]
mod tests {
    use super::is_retryable;

    #[tokio::test]
    async fn refused_connections_are_retryable_bad_requests_are_not() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let refused = http
            .get(format!("http://127.0.0.1:{port}/"))
            .send()
            .await
            .unwrap_err();
        assert!(refused.is_connect() && is_retryable(&refused), "{refused}");
        let unbuildable = http.get("not a url").send().await.unwrap_err();
        assert!(unbuildable.is_builder() && !is_retryable(&unbuildable));
    }
}
