// Test support only: the directives every rendered proxy location carries after its proxy_pass, written out as the
// render tests expect them (at a location's indent inside a server block), so each expected config can name them.
export const PROXY_LINES = `            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header X-Greenlight-Upstream $upstream_addr always;`;
