// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_load.h"
#include "logging.h"

/*
 * One buffer serves every program: libbpf asks the kernel for a log only
 * when a load fails, and stops at the first program that fails, so the
 * buffer ends up holding that program's log. Untouched pages cost nothing.
 */
static char verifier_log[4 << 20];

void verifier_log_attach(struct bpf_object *obj)
{
	struct bpf_program *prog;

	verifier_log[0] = '\0';
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_log_buf(prog, verifier_log, sizeof(verifier_log));
}

bool verifier_rejected(void)
{
	return verifier_log[0] != '\0';
}

/* The line before *end, cut out of the log: [start, next end). */
static const char *line_before(const char *log, const char *end, int *len)
{
	const char *start;

	while (end > log && end[-1] == '\n')
		end--;
	start = end;
	while (start > log && start[-1] != '\n')
		start--;
	*len = end - start;
	return start;
}

static bool starts_with(const char *s, int len, const char *prefix)
{
	int n = strlen(prefix);

	return len >= n && !strncmp(s, prefix, n);
}

/* The verifier's last words are its reason; statistics follow them. */
static bool is_statistics(const char *s, int len)
{
	return starts_with(s, len, "processed ") || starts_with(s, len, "verification time") ||
	       starts_with(s, len, "stack depth") || starts_with(s, len, "max_states") || len == 0;
}

/* "8: (71) r3 = *(u8 *)(r1 +12)": an instruction as the verifier prints it. */
static bool is_instruction(const char *s, int len)
{
	int i = 0;

	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	return i > 0 && i + 3 < len && s[i] == ':' && s[i + 1] == ' ' && s[i + 2] == '(';
}

static void describe_rejection(char *out, size_t size)
{
	const char *end = verifier_log + strlen(verifier_log), *reason, *insn = NULL, *src = NULL;
	int reason_len, insn_len = 0, src_len = 0, len = 0;
	const char *line;

	do {
		reason = line_before(verifier_log, end, &reason_len);
		end = reason;
	} while (reason > verifier_log && is_statistics(reason, reason_len));

	for (line = reason; line > verifier_log && !insn; line = line_before(verifier_log, line, &len))
		if (line != reason && is_instruction(line, len))
			insn = line, insn_len = len;
	for (line = insn; line && line > verifier_log && !src; line = line_before(verifier_log, line, &len))
		if (line != insn && starts_with(line, len, "; "))
			src = line + 2, src_len = len - 2;

	if (insn) {
		/* "8: (71) r3 = ..." -> index 8 and "r3 = ..."; a "; state" tail goes */
		int idx = atoi(insn);
		const char *text = strchr(insn, ')') + 2;
		int text_len = insn_len - (text - insn);
		const char *semi = memchr(text, ';', text_len);

		if (semi)
			text_len = semi - text;
		while (text_len > 0 && text[text_len - 1] == ' ')
			text_len--;
		snprintf(out, size, "%.*s (insn %d: %.*s%s%.*s%s)", reason_len, reason, idx,
			 text_len, text, src ? ", source: \"" : "", src_len, src ? src : "",
			 src ? "\"" : "");
	} else {
		snprintf(out, size, "%.*s", reason_len, reason);
	}
}

/* The program libbpf was loading when it stopped: the first one not loaded. */
static const char *failed_program(struct bpf_object *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
		if (bpf_program__autoload(prog) && bpf_program__fd(prog) < 0)
			return bpf_program__name(prog);
	return bpf_object__name(obj);
}

/* libbpf's own words on a failure that is not the verifier's: a map it
 * could not create, or what it said of the program. */
static const char *library_reason(const char *prog)
{
	char about[128];

	snprintf(about, sizeof(about), "prog '%s'", prog);
	return logging_library_reason("map '") ?: logging_library_reason(about);
}

void report_load_error(struct bpf_object *obj, int err)
{
	const char *prog = failed_program(obj), *reason = library_reason(prog);
	char why[1024], msg[128];

	if (verifier_rejected()) {
		if (logging_verbose())
			fprintf(stderr, "%s", verifier_log);
		describe_rejection(why, sizeof(why));
		pr_err("the verifier rejected %s: %s; %s", prog, why,
		       logging_verbose() ? "its whole log is above" : "-v shows the whole log");
		return;
	}
	libbpf_strerror(err, msg, sizeof(msg));
	if (err == -EPERM)
		pr_err("loading %s failed: %s: needs root (or CAP_BPF and CAP_NET_ADMIN)",
		       prog, msg);
	else if (reason)
		pr_err("loading %s failed: %s (%s)", prog, msg, reason);
	else
		pr_err("loading %s failed: %s", prog, msg);
}

int load_bpf_object(struct bpf_object *obj)
{
	int err;

	verifier_log_attach(obj);
	logging_silence();
	err = bpf_object__load(obj);
	logging_restore();
	if (err)
		report_load_error(obj, err);
	return err;
}
