/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading a BPF object so that a verifier rejection reads as one line:
 *
 *   the verifier rejected xdp_parser_func: R1 offset is outside of packet
 *   (insn 8: r3 = *(u8 *)(r1 +12), source: "return eth->h_proto;"); -v shows the whole log
 *
 * The verifier explains a rejection in a log, often hundreds of lines, that
 * ends with its reason. libbpf prints all of it; here it goes to a buffer,
 * and only its reason and the instruction it refers to are reported.
 */
#ifndef BPF_LOAD_H
#define BPF_LOAD_H

#include <stdbool.h>
#include <bpf/libbpf.h>

/* Give the object's programs a buffer for the verifier's log: call after
 * opening, before whatever loads it (bpf_object__load, a skeleton's
 * __load, libxdp's attach). */
void verifier_log_attach(struct bpf_object *obj);

/* True when the last load failed in the verifier (its log is not empty). */
bool verifier_rejected(void);

/* After a failed load: one line saying why (the verifier's reason, or
 * libbpf's), and the whole verifier log first with -v. */
void report_load_error(struct bpf_object *obj, int err);

/* verifier_log_attach(), bpf_object__load(), report_load_error(). */
int load_bpf_object(struct bpf_object *obj);

#endif /* BPF_LOAD_H */
