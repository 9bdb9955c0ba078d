/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The life of an XDP program, for every tool: open one program from an
 * object file, attach it, detach it, list what an object holds. Each
 * function reports its own failure as one line and returns a negative
 * errno (or NULL), so a tool only passes the error up.
 */
#ifndef XDP_PROG_H
#define XDP_PROG_H

#include <stdbool.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "params.h"

/*
 * Open FILE for loading just one program: PROG_NAME, or the first XDP
 * program when it is NULL. Refuses what is not a BPF object, and a program
 * that is not XDP unless force_xdp (old objects name their sections
 * freely). Maps are not pinned, whatever the object declares: a tool that
 * wants pins makes them. The verifier's log is kept (bpf_load.h).
 */
struct bpf_object *xdp_obj_open(const char *file, const char *prog_name,
				bool force_xdp, struct bpf_program **prog);

/* The same, as a libxdp program for cfg->filename and cfg->prog_name.
 * xdp_prog_close() closes both. */
struct xdp_program *xdp_prog_open(const struct config *cfg);
void xdp_prog_close(struct xdp_program *prog);

/* Attach to cfg->ifindex in cfg->attach_mode (loading it first). */
int xdp_prog_attach(struct xdp_program *prog, const struct config *cfg);
/* One line for a failed xdp_program__attach(): why, and what to do. */
void report_attach_error(struct xdp_program *prog, const struct config *cfg, int err);

/* Detach cfg->unload_id from cfg->ifindex, or everything (unload_all). */
int xdp_prog_detach(const struct config *cfg);

/* Print the XDP programs in FILE, one name per line. */
int xdp_prog_list(const char *file);

#endif /* XDP_PROG_H */
