/*
 * ngx_http_sse_module.c -- a body filter for text/event-stream responses:
 * meter, validate, shape and extract token usage from event streams, on
 * simdsse.
 * SPDX-License-Identifier: MIT
 *
 * For a response whose media type is text/event-stream (proxied or not),
 * every buffer of the body goes through one simdsse parser per request
 * (sse_filter.c). Counts, the last event ID, the limit that ended a stream
 * and values picked out of event data by JSON pointers (sse_extract.c) are
 * variables for log_format.
 *
 * How bytes reach the client. The filter answers each buffer with the
 * stream ranges to forward, each ending where the client has nothing
 * pending: after the blank line of an event, or after a comment outside
 * any event. Then
 *  - a buffer that is one whole range (it ends on an event boundary: the
 *    usual case when an upstream writes an event at a time) is passed on
 *    as it is: the same ngx_buf_t, no copy; when every buffer of a call is,
 *    the call's own input chain goes on, and nothing is allocated;
 *  - otherwise each range becomes a buffer pointing into the upstream's
 *    buffer (zero copy), the last one with `shadow` set to the input
 *    buffer, which is marked consumed only once that range has been sent
 *    (so the upstream cannot reuse the memory under it); dropped events
 *    are the gaps between ranges;
 *  - the bytes after the last range, the start of an event not ended yet,
 *    are copied into a per-request carry block, and go out, from there,
 *    when the event ends. Holding them in the upstream's buffer instead
 *    would stall it: nginx stops reading when its buffer is full of bytes
 *    not yet sent. The carry never exceeds sse_max_event (a longer event
 *    ends the stream), and a block is reused only once the client has it.
 * So no byte is delayed that the client could use: every complete event
 * goes out at once, with a flush. Nor is a half event ever sent: when a
 * limit ends the stream, or the upstream fails, the client's stream stops
 * exactly after the last complete event, and heartbeat comments, which go
 * between ranges, always fall at a line start.
 *
 * nginx's buffered proxying holds a partly filled buffer until it fills
 * (ngx_event_pipe), which would delay events however often the filter
 * flushes, so the module switches the response to unbuffered, as the
 * `X-Accel-Buffering: no` header does. Responses with a Content-Encoding
 * are passed through untouched (their bytes are not the event stream), as
 * are subrequests and header-only responses.
 */
#define SIMDSSE_STATIC
#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <simdsse.h>

#include "sse_extract.h"
#include "sse_filter.h"

/* Validation diagnostics logged per stream; the rest are only counted. */
#define NGX_HTTP_SSE_MAX_DIAGNOSTICS 20

/* A stream keeps one idle carry block, of at most this many bytes, for
 * the next event a read cuts; others are freed when the client has them. */
#define NGX_HTTP_SSE_KEEP_BLOCK 4096

/* MARK: - Configuration */

typedef struct {
    ngx_uint_t slot;      /* index of the variable's value in the request */
    ngx_str_t name;       /* the variable, for the log */
    sse_pointer *pointer;
    ngx_str_t type;       /* empty: events of any type */
} ngx_http_sse_extract_t;

typedef struct {
    ngx_array_t slots; /* ngx_str_t: the extract variables, by slot */
} ngx_http_sse_main_conf_t;

typedef struct {
    ngx_flag_t enable;
    size_t max_line;
    size_t max_event;
    ngx_array_t *drop_types; /* simdsse_span; NULL: none */
    ngx_msec_t heartbeat;    /* 0: off */
    ngx_flag_t validate;
    ngx_array_t *extracts; /* ngx_http_sse_extract_t; NULL: none */
} ngx_http_sse_loc_conf_t;

/* MARK: - Request state */

/* A carry block: memory for held bytes. The buffer comes first, so that a
 * range's `shadow` can point at it and be told from an upstream buffer by
 * its tag. */
typedef struct ngx_http_sse_block_s ngx_http_sse_block_t;
struct ngx_http_sse_block_s {
    ngx_buf_t buf;
    ngx_http_sse_block_t *next; /* every block of the request */
    size_t cap;
    unsigned busy : 1;          /* holding bytes, or being sent */
};

typedef struct {
    u_char *data;
    size_t len, cap;
    unsigned set : 1;
} ngx_http_sse_value_t;

typedef struct {
    ngx_http_request_t *request;
    ngx_http_sse_loc_conf_t *conf;
    sse_filter filter;
    simdsse_validator *validator;
    uint64_t diagnostics; /* logged so far */

    /* The output of the call in progress. */
    ngx_chain_t *out, **last_out;
    /* Our buffers being sent, and those free for reuse. */
    ngx_chain_t *busy, *free;

    /* The input buffer being fed: stream bytes [base, base + size). */
    ngx_buf_t *in;
    uint64_t base;
    ngx_chain_t *in_chain;       /* the body filter's input */
    ngx_chain_t *in_link;        /* its link being read */
    ngx_buf_t *last_in_range;    /* the last range into `in`, or NULL */
    ngx_buf_t *last_carry_range; /* the last range into `carry`, or NULL */
    unsigned whole : 1;          /* `in` is forwarded as it is */
    /* So far the output is the input, link for link: it goes on as it
     * came, and no link is allocated (the usual case). */
    unsigned identity : 1;

    /* Held bytes: stream bytes [carry_from, base) in carry->buf.pos. */
    ngx_http_sse_block_t *carry;
    uint64_t carry_from;
    ngx_http_sse_block_t *blocks;

    ngx_http_sse_value_t *values; /* by extract slot */

    ngx_event_t heartbeat;
    ngx_msec_t last_data; /* when the upstream last sent body bytes */

    uint64_t unterminated; /* bytes of an event the stream ended inside */
    const char *error;     /* $sse_error, NULL for none */
    unsigned bypass : 1;   /* not an event stream we can read: untouched */
    unsigned ended : 1;    /* the client has its end: swallow the rest */
    unsigned finished : 1; /* the stream is over, one way or another */
} ngx_http_sse_ctx_t;

static ngx_int_t ngx_http_sse_add_variables(ngx_conf_t *cf);
static ngx_int_t ngx_http_sse_init(ngx_conf_t *cf);
static void *ngx_http_sse_create_main_conf(ngx_conf_t *cf);
static void *ngx_http_sse_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_sse_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child);
static char *ngx_http_sse_drop_types(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static char *ngx_http_sse_heartbeat(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static char *ngx_http_sse_extract(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static char *ngx_http_sse_check_size(ngx_conf_t *cf, void *post, void *data);

static ngx_conf_post_t ngx_http_sse_size_post = {ngx_http_sse_check_size};

static ngx_command_t ngx_http_sse_commands[] = {
    {ngx_string("sse"), NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
     ngx_conf_set_flag_slot, NGX_HTTP_LOC_CONF_OFFSET,
     offsetof(ngx_http_sse_loc_conf_t, enable), NULL},

    {ngx_string("sse_max_line"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
     ngx_conf_set_size_slot, NGX_HTTP_LOC_CONF_OFFSET,
     offsetof(ngx_http_sse_loc_conf_t, max_line), &ngx_http_sse_size_post},

    {ngx_string("sse_max_event"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
     ngx_conf_set_size_slot, NGX_HTTP_LOC_CONF_OFFSET,
     offsetof(ngx_http_sse_loc_conf_t, max_event), &ngx_http_sse_size_post},

    {ngx_string("sse_drop_types"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_1MORE,
     ngx_http_sse_drop_types, NGX_HTTP_LOC_CONF_OFFSET, 0, NULL},

    {ngx_string("sse_heartbeat"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
     ngx_http_sse_heartbeat, NGX_HTTP_LOC_CONF_OFFSET, 0, NULL},

    {ngx_string("sse_validate"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
     ngx_conf_set_flag_slot, NGX_HTTP_LOC_CONF_OFFSET,
     offsetof(ngx_http_sse_loc_conf_t, validate), NULL},

    {ngx_string("sse_extract"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE23,
     ngx_http_sse_extract, NGX_HTTP_LOC_CONF_OFFSET, 0, NULL},

    ngx_null_command};

static ngx_http_module_t ngx_http_sse_module_ctx = {
    ngx_http_sse_add_variables,    /* preconfiguration */
    ngx_http_sse_init,             /* postconfiguration */
    ngx_http_sse_create_main_conf, /* create main configuration */
    NULL,                          /* init main configuration */
    NULL,                          /* create server configuration */
    NULL,                          /* merge server configuration */
    ngx_http_sse_create_loc_conf,  /* create location configuration */
    ngx_http_sse_merge_loc_conf    /* merge location configuration */
};

ngx_module_t ngx_http_sse_module = {NGX_MODULE_V1,
                                    &ngx_http_sse_module_ctx, /* module context */
                                    ngx_http_sse_commands,    /* module directives */
                                    NGX_HTTP_MODULE,          /* module type */
                                    NULL,                     /* init master */
                                    NULL,                     /* init module */
                                    NULL,                     /* init process */
                                    NULL,                     /* init thread */
                                    NULL,                     /* exit thread */
                                    NULL,                     /* exit process */
                                    NULL,                     /* exit master */
                                    NGX_MODULE_V1_PADDING};

static ngx_http_output_header_filter_pt ngx_http_next_header_filter;
static ngx_http_output_body_filter_pt ngx_http_next_body_filter;

/* Tells a carry block from an upstream buffer in a range's shadow. */
static int ngx_http_sse_carry_tag;

static u_char ngx_http_sse_heartbeat_line[] = ":\n";

/* MARK: - Directives */

static void *ngx_http_sse_create_main_conf(ngx_conf_t *cf) {
    ngx_http_sse_main_conf_t *smcf = ngx_pcalloc(cf->pool, sizeof *smcf);
    if (smcf == NULL) return NULL;
    if (ngx_array_init(&smcf->slots, cf->pool, 4, sizeof(ngx_str_t)) != NGX_OK) return NULL;
    return smcf;
}

static void *ngx_http_sse_create_loc_conf(ngx_conf_t *cf) {
    ngx_http_sse_loc_conf_t *conf = ngx_pcalloc(cf->pool, sizeof *conf);
    if (conf == NULL) return NULL;
    conf->enable = NGX_CONF_UNSET;
    conf->max_line = NGX_CONF_UNSET_SIZE;
    conf->max_event = NGX_CONF_UNSET_SIZE;
    conf->drop_types = NGX_CONF_UNSET_PTR;
    conf->heartbeat = NGX_CONF_UNSET_MSEC;
    conf->validate = NGX_CONF_UNSET;
    conf->extracts = NGX_CONF_UNSET_PTR;
    return conf;
}

static char *ngx_http_sse_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child) {
    ngx_http_sse_loc_conf_t *prev = parent, *conf = child;
    ngx_conf_merge_value(conf->enable, prev->enable, 0);
    /* The library's line limit; events get as much (a gateway holding up
     * to 8 MiB per stream, the library's data default, is too generous). */
    ngx_conf_merge_size_value(conf->max_line, prev->max_line, SIMDSSE_DEFAULT_MAX_LINE_LENGTH);
    ngx_conf_merge_size_value(conf->max_event, prev->max_event, SIMDSSE_DEFAULT_MAX_LINE_LENGTH);
    ngx_conf_merge_ptr_value(conf->drop_types, prev->drop_types, NULL);
    ngx_conf_merge_msec_value(conf->heartbeat, prev->heartbeat, 0);
    ngx_conf_merge_value(conf->validate, prev->validate, 0);
    /* As add_header: a level with its own sse_extract inherits none. */
    ngx_conf_merge_ptr_value(conf->extracts, prev->extracts, NULL);
    return NGX_CONF_OK;
}

static char *ngx_http_sse_check_size(ngx_conf_t *cf, void *post, void *data) {
    size_t *size = data;
    if (*size == 0) return "must be at least 1";
    return NGX_CONF_OK;
}

static char *ngx_http_sse_drop_types(ngx_conf_t *cf, ngx_command_t *cmd, void *conf) {
    ngx_http_sse_loc_conf_t *slcf = conf;
    ngx_str_t *value = cf->args->elts;
    if (slcf->drop_types != NGX_CONF_UNSET_PTR) return "is duplicate";
    if (cf->args->nelts == 2 && ngx_strcmp(value[1].data, "off") == 0) {
        slcf->drop_types = NULL;
        return NGX_CONF_OK;
    }
    slcf->drop_types = ngx_array_create(cf->pool, cf->args->nelts - 1, sizeof(simdsse_span));
    if (slcf->drop_types == NULL) return NGX_CONF_ERROR;
    for (ngx_uint_t i = 1; i < cf->args->nelts; i++) {
        /* An event type is a line's value: it cannot hold CR or LF, and an
         * empty one reads as "message". */
        if (value[i].len == 0 || ngx_strlchr(value[i].data, value[i].data + value[i].len, '\r') ||
            ngx_strlchr(value[i].data, value[i].data + value[i].len, '\n')) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "invalid event type \"%V\"", &value[i]);
            return NGX_CONF_ERROR;
        }
        simdsse_span *t = ngx_array_push(slcf->drop_types);
        if (t == NULL) return NGX_CONF_ERROR;
        t->ptr = (const char *)value[i].data;
        t->len = value[i].len;
    }
    return NGX_CONF_OK;
}

static char *ngx_http_sse_heartbeat(ngx_conf_t *cf, ngx_command_t *cmd, void *conf) {
    ngx_http_sse_loc_conf_t *slcf = conf;
    ngx_str_t *value = cf->args->elts;
    if (slcf->heartbeat != NGX_CONF_UNSET_MSEC) return "is duplicate";
    if (ngx_strcmp(value[1].data, "off") == 0) {
        slcf->heartbeat = 0;
        return NGX_CONF_OK;
    }
    ngx_msec_t ms = ngx_parse_time(&value[1], 0);
    if (ms == (ngx_msec_t)NGX_ERROR || ms == 0) return "invalid value (a time, or \"off\")";
    slcf->heartbeat = ms;
    return NGX_CONF_OK;
}

static ngx_int_t ngx_http_sse_extract_variable(ngx_http_request_t *r,
                                               ngx_http_variable_value_t *v, uintptr_t data);

static void ngx_http_sse_free_pointer(void *data) { sse_pointer_free(data); }

static char *ngx_http_sse_extract(ngx_conf_t *cf, ngx_command_t *cmd, void *conf) {
    ngx_http_sse_loc_conf_t *slcf = conf;
    ngx_http_sse_main_conf_t *smcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_sse_module);
    ngx_str_t *value = cf->args->elts;
    ngx_str_t name = value[1];

    if (name.len < 2 || name.data[0] != '$') {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "invalid variable name \"%V\"", &name);
        return NGX_CONF_ERROR;
    }
    name.data++;
    name.len--;

    const char *error;
    sse_pointer *pointer = sse_pointer_compile((const char *)value[2].data, value[2].len, &error);
    if (pointer == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "invalid JSON pointer \"%V\": %s", &value[2],
                           error);
        return NGX_CONF_ERROR;
    }
    ngx_pool_cleanup_t *cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        sse_pointer_free(pointer);
        return NGX_CONF_ERROR;
    }
    cln->handler = ngx_http_sse_free_pointer;
    cln->data = pointer;

    /* One slot per variable name, shared by every sse_extract naming it. */
    ngx_str_t *slots = smcf->slots.elts;
    ngx_uint_t slot;
    for (slot = 0; slot < smcf->slots.nelts; slot++)
        if (slots[slot].len == name.len && ngx_strncmp(slots[slot].data, name.data, name.len) == 0)
            break;
    if (slot == smcf->slots.nelts) {
        ngx_http_variable_t *var =
            ngx_http_add_variable(cf, &name, NGX_HTTP_VAR_CHANGEABLE | NGX_HTTP_VAR_NOCACHEABLE);
        if (var == NULL) return NGX_CONF_ERROR;
        if (var->get_handler != NULL && var->get_handler != ngx_http_sse_extract_variable) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "variable \"%V\" is already defined", &value[1]);
            return NGX_CONF_ERROR;
        }
        var->get_handler = ngx_http_sse_extract_variable;
        var->data = slot;
        ngx_str_t *s = ngx_array_push(&smcf->slots);
        if (s == NULL) return NGX_CONF_ERROR;
        *s = name;
    }

    if (slcf->extracts == NGX_CONF_UNSET_PTR) {
        slcf->extracts = ngx_array_create(cf->pool, 2, sizeof(ngx_http_sse_extract_t));
        if (slcf->extracts == NULL) return NGX_CONF_ERROR;
    }
    ngx_http_sse_extract_t *x = ngx_array_push(slcf->extracts);
    if (x == NULL) return NGX_CONF_ERROR;
    x->slot = slot;
    x->name = value[1];
    x->pointer = pointer;
    ngx_str_null(&x->type);
    if (cf->args->nelts == 4) x->type = value[3];
    return NGX_CONF_OK;
}

/* MARK: - Buffers */

/* A buffer of ours (a range, a heartbeat, an end), from the free list, not
 * yet in the output. */
static ngx_chain_t *ngx_http_sse_link(ngx_http_sse_ctx_t *ctx) {
    ngx_chain_t *cl = ngx_chain_get_free_buf(ctx->request->pool, &ctx->free);
    if (cl == NULL) return NULL;
    ngx_memzero(cl->buf, sizeof(ngx_buf_t));
    cl->buf->tag = (ngx_buf_tag_t)&ngx_http_sse_module;
    return cl;
}

static void ngx_http_sse_append(ngx_http_sse_ctx_t *ctx, ngx_chain_t *cl) {
    cl->next = NULL;
    *ctx->last_out = cl;
    ctx->last_out = &cl->next;
}

/* Appends someone else's buffer, as it is, to the output. */
static ngx_int_t ngx_http_sse_pass(ngx_http_sse_ctx_t *ctx, ngx_buf_t *b) {
    ngx_chain_t *cl = ngx_alloc_chain_link(ctx->request->pool);
    if (cl == NULL) return NGX_ERROR;
    cl->buf = b;
    ngx_http_sse_append(ctx, cl);
    return NGX_OK;
}

/* The output stops being the input: it gets links of its own, first for
 * the input buffers before the current one, all forwarded as they are. */
static ngx_int_t ngx_http_sse_materialize(ngx_http_sse_ctx_t *ctx) {
    if (!ctx->identity) return NGX_OK;
    ctx->identity = 0;
    for (ngx_chain_t *cl = ctx->in_chain; cl && cl != ctx->in_link; cl = cl->next)
        if (ngx_http_sse_pass(ctx, cl->buf) != NGX_OK) return NGX_ERROR;
    return NGX_OK;
}

/* A buffer of ours at the end of the output. */
static ngx_buf_t *ngx_http_sse_buf(ngx_http_sse_ctx_t *ctx) {
    if (ngx_http_sse_materialize(ctx) != NGX_OK) return NULL;
    ngx_chain_t *cl = ngx_http_sse_link(ctx);
    if (cl == NULL) return NULL;
    ngx_http_sse_append(ctx, cl);
    return cl->buf;
}

/* A carry block the client has, or that nothing points into: idle again. */
static void ngx_http_sse_release_block(ngx_http_sse_ctx_t *ctx, ngx_http_sse_block_t *block) {
    block->busy = 0;
    ngx_uint_t idle = 0;
    for (ngx_http_sse_block_t *b = ctx->blocks; b; b = b->next) idle += !b->busy && b->cap;
    if (block->cap > NGX_HTTP_SSE_KEEP_BLOCK || idle > 1) {
        ngx_free(block->buf.start);
        block->buf.start = NULL;
        block->cap = 0;
    }
}

/* An idle carry block with room for `need` bytes (its memory from the
 * heap: it is freed when released, or at the end of the request). */
static ngx_http_sse_block_t *ngx_http_sse_get_block(ngx_http_sse_ctx_t *ctx, size_t need) {
    ngx_http_sse_block_t *block = NULL;
    for (ngx_http_sse_block_t *b = ctx->blocks; b; b = b->next)
        if (!b->busy && (block == NULL || b->cap > block->cap)) block = b;
    if (block == NULL) {
        block = ngx_pcalloc(ctx->request->pool, sizeof *block);
        if (block == NULL) return NULL;
        block->next = ctx->blocks;
        ctx->blocks = block;
    }
    if (block->cap < need) {
        size_t cap = 256; /* an LLM event is some 200 bytes */
        while (cap < need) cap *= 2;
        u_char *p = ngx_alloc(cap, ctx->request->connection->log);
        if (p == NULL) return NULL;
        ngx_free(block->buf.start);
        block->buf.start = p;
        block->cap = cap;
    }
    ngx_buf_t *b = &block->buf;
    b->pos = b->last = b->start;
    b->end = b->start + block->cap;
    b->tag = (ngx_buf_tag_t)&ngx_http_sse_carry_tag;
    b->temporary = 1;
    block->busy = 1;
    return block;
}

/* Copies n bytes at stream offset `from` after the bytes held. */
static ngx_int_t ngx_http_sse_hold(ngx_http_sse_ctx_t *ctx, const u_char *p, size_t n,
                                   uint64_t from) {
    ngx_http_sse_block_t *carry = ctx->carry;
    if (carry == NULL) {
        carry = ngx_http_sse_get_block(ctx, n);
        if (carry == NULL) return NGX_ERROR;
        ctx->carry = carry;
        ctx->carry_from = from;
    } else if ((size_t)(carry->buf.end - carry->buf.last) < n) {
        /* The carry is never being sent while it grows: its bytes go out
         * only when their event ends, and then the rest goes elsewhere. */
        size_t held = (size_t)(carry->buf.last - carry->buf.pos), cap = carry->cap * 2;
        while (cap < held + n) cap *= 2;
        u_char *q = ngx_alloc(cap, ctx->request->connection->log);
        if (q == NULL) return NGX_ERROR;
        ngx_memcpy(q, carry->buf.pos, held);
        ngx_free(carry->buf.start);
        carry->buf.start = carry->buf.pos = q;
        carry->buf.last = q + held;
        carry->buf.end = q + cap;
        carry->cap = cap;
    }
    carry->buf.last = ngx_cpymem(carry->buf.last, p, n);
    return NGX_OK;
}

/* A range of the stream in memory that stays put until it is sent. */
static void ngx_http_sse_range(ngx_chain_t *cl, u_char *from, u_char *to) {
    ngx_buf_t *b = cl->buf;
    b->start = b->pos = from;
    b->end = b->last = to;
    b->memory = 1;
}

/* sse_filter's emit: stream bytes [from, to) go to the client. They may
 * start in the held bytes and go on in the input buffer: both buffers are
 * allocated before either goes out, so a failure sends nothing of them
 * (and the stream then ends at `from`, after a complete event). */
static void ngx_http_sse_emit(void *user, uint64_t from, uint64_t to) {
    ngx_http_sse_ctx_t *ctx = user;
    ngx_buf_t *in = ctx->in;
    uint64_t base = ctx->base, upto = to < base ? to : base;
    int whole = from >= base && to == base + (uint64_t)(in->last - in->pos);
    if (whole && ctx->identity) {
        ctx->whole = 1; /* the usual case: the buffer goes on as it is */
        return;
    }
    if (ngx_http_sse_materialize(ctx) != NGX_OK) goto failed;
    ngx_chain_t *held = NULL, *rest = NULL;
    if (from < base && (held = ngx_http_sse_link(ctx)) == NULL) goto failed;
    if (to > base) {
        if (from <= base && to == base + (uint64_t)(in->last - in->pos)) {
            rest = ngx_alloc_chain_link(ctx->request->pool);
            if (rest) rest->buf = in;
            ctx->whole = 1;
        } else {
            rest = ngx_http_sse_link(ctx);
        }
        if (rest == NULL) {
            if (held) {
                held->next = ctx->free;
                ctx->free = held;
            }
            goto failed;
        }
    }
    if (held) {
        u_char *p = ctx->carry->buf.pos - ctx->carry_from;
        ngx_http_sse_range(held, p + from, p + upto);
        ctx->last_carry_range = held->buf;
        ngx_http_sse_append(ctx, held);
    }
    if (rest) {
        if (!ctx->whole) {
            uint64_t start = from > base ? from : base;
            ngx_http_sse_range(rest, in->pos + (start - base), in->pos + (to - base));
            ctx->last_in_range = rest->buf;
        }
        ngx_http_sse_append(ctx, rest);
    }
    return;
failed:
    sse_filter_fail(&ctx->filter);
}

/* After a call down the chain: ranges the client now has release what
 * they point into. */
static void ngx_http_sse_update_busy(ngx_http_sse_ctx_t *ctx, ngx_chain_t *out) {
    if (ctx->busy == NULL && out == NULL) return;
    ngx_chain_t **ll = &ctx->busy;
    while (*ll) ll = &(*ll)->next;
    *ll = out;
    while (ctx->busy) {
        ngx_chain_t *cl = ctx->busy;
        ngx_buf_t *b = cl->buf;
        if (b->tag != (ngx_buf_tag_t)&ngx_http_sse_module) {
            /* An upstream buffer passed as it is: its owner tracks it. */
            ctx->busy = cl->next;
            ngx_free_chain(ctx->request->pool, cl);
            continue;
        }
        if (ngx_buf_size(b) != 0) break;
        if (b->shadow) {
            if (b->shadow->tag == (ngx_buf_tag_t)&ngx_http_sse_carry_tag)
                ngx_http_sse_release_block(ctx, (ngx_http_sse_block_t *)b->shadow);
            else
                b->shadow->pos = b->shadow->last;
        }
        ctx->busy = cl->next;
        cl->next = ctx->free;
        ctx->free = cl;
    }
}

/* MARK: - Variables and extraction */

static void ngx_http_sse_on_event(void *user, const simdsse_event *ev, int dropped) {
    ngx_http_sse_ctx_t *ctx = user;
    ngx_array_t *extracts = ctx->conf->extracts;
    if (extracts == NULL) return;
    ngx_http_sse_extract_t *x = extracts->elts;
    for (ngx_uint_t i = 0; i < extracts->nelts; i++) {
        if (x[i].type.len &&
            (x[i].type.len != ev->type.len || ngx_memcmp(x[i].type.data, ev->type.ptr, ev->type.len)))
            continue;
        if (!sse_pointer_candidate(x[i].pointer, ev->data.ptr, ev->data.len)) continue;
        ngx_http_sse_value_t *v = &ctx->values[x[i].slot];
        char *data = (char *)v->data;
        int rc = sse_pointer_extract(x[i].pointer, ev->data.ptr, ev->data.len, &data, &v->len, &v->cap);
        v->data = (u_char *)data;
        if (rc > 0) v->set = 1;
        if (rc < 0)
            ngx_log_error(NGX_LOG_ERR, ctx->request->connection->log, 0,
                          "sse: no memory for sse_extract \"%V\"", &x[i].name);
    }
}

enum { SSE_VAR_EVENTS, SSE_VAR_BYTES, SSE_VAR_LAST_EVENT_ID, SSE_VAR_DROPPED, SSE_VAR_ERROR };

static ngx_int_t ngx_http_sse_variable(ngx_http_request_t *r, ngx_http_variable_value_t *v,
                                       uintptr_t data);

static ngx_http_variable_t ngx_http_sse_vars[] = {
    {ngx_string("sse_events"), NULL, ngx_http_sse_variable, SSE_VAR_EVENTS,
     NGX_HTTP_VAR_NOCACHEABLE, 0},
    {ngx_string("sse_bytes"), NULL, ngx_http_sse_variable, SSE_VAR_BYTES,
     NGX_HTTP_VAR_NOCACHEABLE, 0},
    {ngx_string("sse_last_event_id"), NULL, ngx_http_sse_variable, SSE_VAR_LAST_EVENT_ID,
     NGX_HTTP_VAR_NOCACHEABLE, 0},
    {ngx_string("sse_dropped"), NULL, ngx_http_sse_variable, SSE_VAR_DROPPED,
     NGX_HTTP_VAR_NOCACHEABLE, 0},
    {ngx_string("sse_error"), NULL, ngx_http_sse_variable, SSE_VAR_ERROR,
     NGX_HTTP_VAR_NOCACHEABLE, 0},
    ngx_http_null_variable};

static ngx_int_t ngx_http_sse_add_variables(ngx_conf_t *cf) {
    for (ngx_http_variable_t *v = ngx_http_sse_vars; v->name.len; v++) {
        ngx_http_variable_t *var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (var == NULL) return NGX_ERROR;
        var->get_handler = v->get_handler;
        var->data = v->data;
    }
    return NGX_OK;
}

static ngx_int_t ngx_http_sse_set_value(ngx_http_request_t *r, ngx_http_variable_value_t *v,
                                        const void *data, size_t len) {
    if (len == 0) {
        v->not_found = 1;
        return NGX_OK;
    }
    v->data = ngx_pnalloc(r->pool, len);
    if (v->data == NULL) return NGX_ERROR;
    ngx_memcpy(v->data, data, len);
    v->len = len;
    v->valid = 1;
    v->no_cacheable = 1;
    v->not_found = 0;
    return NGX_OK;
}

static ngx_int_t ngx_http_sse_variable(ngx_http_request_t *r, ngx_http_variable_value_t *v,
                                       uintptr_t data) {
    ngx_http_sse_ctx_t *ctx = ngx_http_get_module_ctx(r->main, ngx_http_sse_module);
    if (ctx == NULL || (ctx->bypass && data != SSE_VAR_ERROR)) {
        v->not_found = 1;
        return NGX_OK;
    }
    u_char buf[NGX_INT64_LEN];
    switch (data) {
    case SSE_VAR_EVENTS:
        return ngx_http_sse_set_value(r, v, buf, ngx_sprintf(buf, "%uL", ctx->filter.events) - buf);
    case SSE_VAR_BYTES:
        return ngx_http_sse_set_value(r, v, buf, ngx_sprintf(buf, "%uL", ctx->filter.end) - buf);
    case SSE_VAR_DROPPED:
        return ngx_http_sse_set_value(r, v, buf, ngx_sprintf(buf, "%uL", ctx->filter.dropped) - buf);
    case SSE_VAR_LAST_EVENT_ID: {
        if (ctx->filter.parser == NULL) break;
        simdsse_span id = sse_filter_last_event_id(&ctx->filter);
        return ngx_http_sse_set_value(r, v, id.ptr, id.len);
    }
    case SSE_VAR_ERROR: {
        const char *e = ctx->error;
        if (e == NULL && !ctx->finished && ctx->filter.parser) e = "truncated";
        if (e) return ngx_http_sse_set_value(r, v, e, ngx_strlen(e));
        break;
    }
    }
    v->not_found = 1;
    return NGX_OK;
}

static ngx_int_t ngx_http_sse_extract_variable(ngx_http_request_t *r,
                                               ngx_http_variable_value_t *v, uintptr_t data) {
    ngx_http_sse_ctx_t *ctx = ngx_http_get_module_ctx(r->main, ngx_http_sse_module);
    if (ctx == NULL || ctx->values == NULL || !ctx->values[data].set) {
        v->not_found = 1;
        return NGX_OK;
    }
    return ngx_http_sse_set_value(r, v, ctx->values[data].data, ctx->values[data].len);
}

/* MARK: - Validation */

static int ngx_http_sse_on_diagnostic(void *user, const simdsse_diagnostic *d) {
    ngx_http_sse_ctx_t *ctx = user;
    ngx_uint_t level = d->severity == SIMDSSE_SEVERITY_ERROR ? NGX_LOG_ERR : NGX_LOG_WARN;
    ctx->diagnostics++;
    /* The message names the suggestion, if there is one. */
    ngx_log_error(level, ctx->request->connection->log, 0,
                  "sse: %s at byte %uL (line %uL, column %uL) of the event stream: %s [%s]",
                  simdsse_severity_name(d->severity), d->offset, d->line, d->column, d->message,
                  simdsse_diagnostic_code_name(d->code));
    return 0;
}

/* MARK: - Ending a stream */

static void ngx_http_sse_stop_heartbeat(ngx_http_sse_ctx_t *ctx) {
    if (ctx->heartbeat.timer_set) ngx_del_timer(&ctx->heartbeat);
}

/* The stream is over: validation's last word, and what was left unsent. */
static void ngx_http_sse_finish(ngx_http_sse_ctx_t *ctx, ngx_uint_t complete) {
    if (ctx->finished) return;
    ctx->finished = 1;
    ngx_http_sse_stop_heartbeat(ctx);
    ngx_log_t *log = ctx->request->connection->log;
    if (complete) {
        ctx->unterminated = sse_filter_finish(&ctx->filter);
        if (ctx->unterminated) {
            ctx->error = "unterminated";
            ngx_log_error(NGX_LOG_INFO, log, 0,
                          "sse: the event stream ended inside an event: its last %uL bytes "
                          "were not sent",
                          ctx->unterminated);
        }
    } else if (ctx->error == NULL) {
        /* The response ends short (the upstream failed, the client left):
         * the client has every complete event, and nothing of the rest. */
        ctx->error = "truncated";
        ctx->unterminated = ctx->filter.end - ctx->filter.safe;
    }
    if (ctx->validator) {
        if (complete) simdsse_validator_finish(ctx->validator);
        simdsse_validation res;
        simdsse_validation_init(&res);
        simdsse_validator_result(ctx->validator, &res);
        if (res.errors || res.warnings)
            ngx_log_error(NGX_LOG_WARN, log, 0,
                          "sse: the event stream had %uL errors and %uL warnings "
                          "(%uL logged, at most %d per stream)",
                          res.errors, res.warnings, ctx->diagnostics, NGX_HTTP_SSE_MAX_DIAGNOSTICS);
    }
}

/* A limit (or memory) cut the stream: the client gets its end now, after
 * the last complete event, and the rest of the response is swallowed. */
static ngx_int_t ngx_http_sse_cut(ngx_http_sse_ctx_t *ctx, sse_filter_state why) {
    ngx_http_request_t *r = ctx->request;
    sse_filter *f = &ctx->filter;
    ctx->error = sse_filter_state_name(why);
    ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                  "sse: %s at byte %uL of the event stream (sse_max_line %uz, sse_max_event %uz): "
                  "the stream ends after the last complete event, at byte %uL",
                  why == SSE_FILTER_LINE_TOO_LONG    ? "line too long"
                  : why == SSE_FILTER_EVENT_TOO_LONG ? "event too long"
                                                     : "out of memory",
                  f->limit_offset, ctx->conf->max_line, ctx->conf->max_event, f->cut_offset);
    ngx_http_sse_finish(ctx, 0);
    ctx->ended = 1;
    ngx_buf_t *b = ngx_http_sse_buf(ctx);
    if (b == NULL) return NGX_ERROR;
    b->last_buf = 1;
    b->flush = 1;
    /* Stop reading the upstream: with no more to expect, nginx ends the
     * request as soon as the client has everything (unbuffered mode). The
     * connection cannot be kept: its response was not read to the end. */
    ngx_http_upstream_t *u = r->upstream;
    if (u && !u->buffering) {
        u->length = 0;
        u->keepalive = 0;
    }
    return NGX_OK;
}

/* MARK: - Body filter */

/* Feeds one input buffer; its ranges go to ctx->out. */
static ngx_int_t ngx_http_sse_feed(ngx_http_sse_ctx_t *ctx, ngx_buf_t *in) {
    sse_filter *f = &ctx->filter;
    size_t size = (size_t)(in->last - in->pos);
    ctx->in = in;
    ctx->base = f->end;
    ctx->whole = 0;
    ctx->last_in_range = ctx->last_carry_range = NULL;

    if (ctx->validator) simdsse_validator_feed(ctx->validator, in->pos, size);
    sse_filter_state st = sse_filter_feed(f, (const char *)in->pos, size);
    if (f->whole) {
        /* The usual case: the buffer goes on as it is. */
        ctx->whole = 1;
        if (!ctx->identity && ngx_http_sse_pass(ctx, in) != NGX_OK) return NGX_ERROR;
    }

    /* Held bytes the filter resolved (sent or dropped) free their block
     * once sent; bytes it did not resolve are held. */
    ngx_http_sse_block_t *carry = ctx->carry;
    if (carry && (st != SSE_FILTER_OPEN || f->safe >= ctx->base)) {
        if (ctx->last_carry_range)
            ctx->last_carry_range->shadow = &carry->buf;
        else
            ngx_http_sse_release_block(ctx, carry);
        ctx->carry = NULL;
    }
    if (st == SSE_FILTER_OPEN && f->safe < f->end) {
        uint64_t from = f->safe > ctx->base ? f->safe : ctx->base;
        if (ngx_http_sse_hold(ctx, in->pos + (from - ctx->base), (size_t)(f->end - from), from) !=
            NGX_OK) {
            sse_filter_fail(f);
            st = f->state;
        }
    }
    /* The input buffer is free once its last range is sent; now, if none
     * points into it (everything copied or dropped). Either way it does not
     * go on as it is: the output has links of its own from here. */
    if (!ctx->whole) {
        if (ngx_http_sse_materialize(ctx) != NGX_OK) return NGX_ERROR;
        if (ctx->last_in_range)
            ctx->last_in_range->shadow = in;
        else
            in->pos = in->last;
    }
    ctx->in = NULL;
    if (st != SSE_FILTER_OPEN) return ngx_http_sse_cut(ctx, st);
    return NGX_OK;
}

static ngx_int_t ngx_http_sse_body_filter(ngx_http_request_t *r, ngx_chain_t *in) {
    ngx_http_sse_ctx_t *ctx = ngx_http_get_module_ctx(r, ngx_http_sse_module);
    if (ctx == NULL || ctx->bypass) return ngx_http_next_body_filter(r, in);

    ctx->out = NULL;
    ctx->last_out = &ctx->out;
    ctx->in_chain = in;
    ctx->identity = !ctx->ended;
    ngx_uint_t flush = 0;

    for (ngx_chain_t *cl = in; cl; cl = cl->next) {
        ngx_buf_t *b = cl->buf;
        ctx->in_link = cl;
        ctx->whole = 0;
        if (ctx->ended) {
            /* After a cut: the rest of the response is not for the client
             * (the cut left identity, so nothing of it is forwarded). */
            if (ngx_buf_in_memory(b)) b->pos = b->last;
            if (b->in_file) b->file_pos = b->file_last;
            continue;
        }
        flush |= b->flush;
        if (ngx_buf_size(b) > 0) {
            if (!ngx_buf_in_memory(b)) {
                /* r->filter_need_in_memory makes the copy filter read files
                 * into memory before us: this is a bug somewhere. */
                ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                              "sse: a body buffer not in memory");
                return NGX_ERROR;
            }
            ctx->last_data = ngx_current_msec;
            if (ngx_http_sse_feed(ctx, b) != NGX_OK) return NGX_ERROR;
            flush = 1;
            if (ctx->ended) continue;
        } else if (!ctx->identity && ngx_http_sse_pass(ctx, b) != NGX_OK) {
            return NGX_ERROR; /* flush, sync or last_buf: goes on as it is */
        }
        if (b->last_buf) {
            ngx_http_sse_finish(ctx, 1);
            ctx->ended = 1;
            if (ngx_buf_size(b) > 0 && !ctx->whole) {
                /* The buffer that carried the flag did not go out. */
                ngx_buf_t *end = ngx_http_sse_buf(ctx);
                if (end == NULL) return NGX_ERROR;
                end->last_buf = 1;
            }
        }
    }

    /* Every range ends on an event boundary (or after a comment): out it
     * goes, now. */
    ngx_chain_t *out = ctx->identity ? in : ctx->out;
    if (flush && out) {
        ngx_chain_t *last = out;
        while (last->next) last = last->next;
        last->buf->flush = 1;
    }
    ctx->in_chain = ctx->in_link = NULL;
    ctx->out = NULL;
    ctx->last_out = &ctx->out;
    ngx_int_t rc = ngx_http_next_body_filter(r, out);
    ngx_http_sse_update_busy(ctx, ctx->identity ? NULL : out);
    ctx->identity = 0;
    return rc;
}

/* MARK: - Heartbeats */

static void ngx_http_sse_heartbeat_handler(ngx_event_t *ev) {
    ngx_http_sse_ctx_t *ctx = ev->data;
    ngx_http_request_t *r = ctx->request;
    ngx_connection_t *c = r->connection;
    if (ctx->ended) return;

    /* Silence is measured from the upstream's last bytes; the timer is
     * not moved on every buffer (nginx moves timers lazily anyway), so it
     * may fire early: then it waits for the rest. */
    ngx_msec_t quiet = ngx_current_msec - ctx->last_data;
    if (quiet < ctx->conf->heartbeat) {
        ngx_add_timer(ev, ctx->conf->heartbeat - quiet);
        return;
    }
    ctx->last_data = ngx_current_msec;

    /* What went out ends at a line start, so a comment line fits here. */
    ctx->out = NULL;
    ctx->last_out = &ctx->out;
    ngx_buf_t *b = ngx_http_sse_buf(ctx);
    if (b == NULL) return;
    b->pos = b->start = ngx_http_sse_heartbeat_line;
    b->last = b->end = ngx_http_sse_heartbeat_line + sizeof ngx_http_sse_heartbeat_line - 1;
    b->memory = 1;
    b->flush = 1;
    ngx_chain_t *out = ctx->out;
    ctx->out = NULL;
    ctx->last_out = &ctx->out;
    ngx_int_t rc = ngx_http_next_body_filter(r, out);
    ngx_http_sse_update_busy(ctx, out);
    if (rc == NGX_ERROR) {
        /* The client is gone: nginx notices on its own (the upstream's next
         * write, or the connection's close); nothing more to beat for. */
        return;
    }
    ngx_http_core_loc_conf_t *clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);
    if (ngx_handle_write_event(c->write, clcf->send_lowat) != NGX_OK) return;
    if (c->write->active && !c->write->ready) ngx_add_timer(c->write, clcf->send_timeout);
    ngx_add_timer(ev, ctx->conf->heartbeat);
    ngx_http_run_posted_requests(c);
}

/* MARK: - Header filter */

/* The media type, before any parameter, is text/event-stream. */
static ngx_uint_t ngx_http_sse_is_event_stream(ngx_http_request_t *r) {
    static const char type[] = "text/event-stream";
    ngx_str_t *ct = &r->headers_out.content_type;
    size_t n = 0;
    while (n < ct->len && ct->data[n] != ';' && ct->data[n] != ' ' && ct->data[n] != '\t') n++;
    return n == sizeof type - 1 && ngx_strncasecmp(ct->data, (u_char *)type, n) == 0;
}

/* Request cleanup, before the access log is written. */
static void ngx_http_sse_request_done(void *data) {
    ngx_http_sse_ctx_t *ctx = data;
    ngx_http_sse_finish(ctx, 0);
}

/* Pool cleanup: memory from the heap. */
static void ngx_http_sse_free(void *data) {
    ngx_http_sse_ctx_t *ctx = data;
    ngx_http_sse_stop_heartbeat(ctx);
    sse_filter_free(&ctx->filter);
    simdsse_validator_destroy(ctx->validator);
    for (ngx_http_sse_block_t *b = ctx->blocks; b; b = b->next) ngx_free(b->buf.start);
    if (ctx->values) {
        ngx_http_sse_main_conf_t *smcf =
            ngx_http_get_module_main_conf(ctx->request, ngx_http_sse_module);
        for (ngx_uint_t i = 0; i < smcf->slots.nelts; i++) ngx_free(ctx->values[i].data);
    }
}

static ngx_int_t ngx_http_sse_header_filter(ngx_http_request_t *r) {
    ngx_http_sse_loc_conf_t *conf = ngx_http_get_module_loc_conf(r, ngx_http_sse_module);
    if (!conf->enable || r != r->main || r->header_only || !ngx_http_sse_is_event_stream(r))
        return ngx_http_next_header_filter(r);

    ngx_http_sse_ctx_t *ctx = ngx_pcalloc(r->pool, sizeof *ctx);
    if (ctx == NULL) return NGX_ERROR;
    ctx->request = r;
    ctx->conf = conf;
    ngx_http_set_ctx(r, ctx, ngx_http_sse_module);

    ngx_table_elt_t *ce = r->headers_out.content_encoding;
    if (ce && ce->hash && !(ce->value.len == 8 && ngx_strncasecmp(ce->value.data, (u_char *)"identity", 8) == 0)) {
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "sse: not reading an event stream with \"Content-Encoding: %V\"", &ce->value);
        ctx->bypass = 1;
        ctx->error = "encoded";
        return ngx_http_next_header_filter(r);
    }

    ngx_pool_cleanup_t *cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) return NGX_ERROR;
    cln->handler = ngx_http_sse_free;
    cln->data = ctx;

    ngx_http_sse_main_conf_t *smcf = ngx_http_get_module_main_conf(r, ngx_http_sse_module);
    if (conf->extracts && smcf->slots.nelts) {
        ctx->values = ngx_pcalloc(r->pool, smcf->slots.nelts * sizeof *ctx->values);
        if (ctx->values == NULL) return NGX_ERROR;
    }

    sse_filter_options fo = {0};
    fo.max_line = conf->max_line;
    fo.max_event = conf->max_event;
    if (conf->drop_types) {
        fo.drop_types = conf->drop_types->elts;
        fo.drop_count = conf->drop_types->nelts;
    }
    fo.on_event = conf->extracts ? ngx_http_sse_on_event : NULL;
    fo.emit = ngx_http_sse_emit;
    fo.user = ctx;
    simdsse_status st = sse_filter_init(&ctx->filter, &fo);
    if (st != SIMDSSE_OK) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0, "sse: cannot create a parser: %s",
                      simdsse_strerror(st));
        return NGX_ERROR;
    }
    if (conf->validate) {
        simdsse_validator_options vo;
        simdsse_validator_options_init(&vo);
        vo.on_diagnostic = ngx_http_sse_on_diagnostic;
        vo.user = ctx;
        vo.max_diagnostics = NGX_HTTP_SSE_MAX_DIAGNOSTICS;
        ctx->validator = simdsse_validator_create(&vo, &st);
        if (ctx->validator == NULL) {
            ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                          "sse: cannot create a validator: %s", simdsse_strerror(st));
            return NGX_ERROR;
        }
    }

    ngx_http_cleanup_t *done = ngx_http_cleanup_add(r, 0);
    if (done == NULL) return NGX_ERROR;
    done->handler = ngx_http_sse_request_done;
    done->data = ctx;

    ctx->out = NULL;
    ctx->last_out = &ctx->out;
    if (conf->heartbeat) {
        ctx->heartbeat.handler = ngx_http_sse_heartbeat_handler;
        ctx->heartbeat.data = ctx;
        ctx->heartbeat.log = r->connection->log;
        /* A quiet stream must not hold up a graceful shutdown. */
        ctx->heartbeat.cancelable = 1;
        ctx->last_data = ngx_current_msec;
        ngx_add_timer(&ctx->heartbeat, conf->heartbeat);
    }

    /* The filter may end the stream early and drop events: the length and
     * ranges of the upstream's response no longer hold. */
    r->filter_need_in_memory = 1;
    ngx_http_clear_content_length(r);
    ngx_http_clear_accept_ranges(r);
    ngx_http_weak_etag(r);
    if (r->upstream) r->upstream->buffering = 0;

    return ngx_http_next_header_filter(r);
}

static ngx_int_t ngx_http_sse_init(ngx_conf_t *cf) {
    ngx_http_next_header_filter = ngx_http_top_header_filter;
    ngx_http_top_header_filter = ngx_http_sse_header_filter;
    ngx_http_next_body_filter = ngx_http_top_body_filter;
    ngx_http_top_body_filter = ngx_http_sse_body_filter;
    return NGX_OK;
}
