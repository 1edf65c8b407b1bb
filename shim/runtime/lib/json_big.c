// SPDX-License-Identifier: Apache-2.0
#include "json_big.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define MARK_EXTRA 9	/* "\u0000" and two quotes around the digits */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits [s, s+n) of an integer in (INT64_MAX, UINT64_MAX], no leading 0. */
static bool big_digits(const char *s, size_t n)
{
	if (n == 0 || s[0] == '0' || n < 19 || n > 20)
		return false;
	if (n == 19)
		return memcmp(s, "9223372036854775807", 19) > 0;
	return memcmp(s, "18446744073709551615", 20) <= 0;
}

/* One pass over text: with out NULL, count the big literals and see
 * whether a string holds "\u0000"; with out, write the rewritten text. */
static size_t scan(const char *t, char *out, bool *nul)
{
	size_t i = 0, o = 0, nbig = 0;
	bool in_str = false;

	while (t[i]) {
		size_t start = i, d;

		if (in_str) {
			if (t[i] == '\\' && t[i + 1]) {
				if (t[i + 1] == 'u' && !strncmp(t + i + 2, "0000", 4))
					*nul = true;
				if (out) {
					out[o++] = t[i];
					out[o++] = t[i + 1];
				}
				i += 2;
				continue;
			}
			in_str = t[i] != '"';
		} else if (t[i] == '"') {
			in_str = true;
		} else if (is_digit(t[i]) || t[i] == '-') {
			/* a number token: only a positive integer can be big */
			while (is_digit(t[i]) || strchr("+-.eE", t[i]))
				i++;
			for (d = 0; is_digit(t[start + d]); d++)
				;
			if (d == i - start && big_digits(t + start, d)) {
				nbig++;
				if (out)
					o += (size_t)sprintf(out + o, "\"\\u0000%.*s\"", (int)d, t + start);
			} else if (out) {
				memcpy(out + o, t + start, i - start);
				o += i - start;
			}
			continue;
		}
		if (out)
			out[o++] = t[i];
		i++;
	}
	if (out)
		out[o] = '\0';
	return nbig;
}

bool pc_json_is_big(const json_t *v)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v), i;

	if (!s || n < 2 || s[0] != '\0')
		return false;
	for (i = 1; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return big_digits(s + 1, n - 1);
}

bool pc_json_is_str(const json_t *v)
{
	return json_is_string(v) && !pc_json_is_big(v);
}

int pc_json_u64(const json_t *v, uint64_t *out)
{
	if (pc_json_is_big(v)) {
		*out = strtoull(json_string_value(v) + 1, NULL, 10);
		return 0;
	}
	if (!json_is_integer(v))
		return -EINVAL;
	if (json_integer_value(v) < 0)
		return -ERANGE;
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

/* Every NUL in a string must be a big integer's mark. */
static bool marks_only(json_t *v)
{
	const char *key;
	json_t *e;
	size_t i;

	if (json_is_string(v))
		return strlen(json_string_value(v)) == json_string_length(v) || pc_json_is_big(v);
	json_object_foreach(v, key, e)
		if (!marks_only(e))
			return false;
	json_array_foreach(v, i, e)
		if (!marks_only(e))
			return false;
	return true;
}

json_t *pc_json_loads(const char *text, json_error_t *err)
{
	bool nul = false;
	size_t nbig = scan(text, NULL, &nul);
	char *big;
	json_t *j;

	if (!nbig && !nul)
		return json_loads(text, 0, err);
	big = malloc(strlen(text) + nbig * MARK_EXTRA + 1);
	if (!big) {
		snprintf(err->text, sizeof(err->text), "out of memory");
		return NULL;
	}
	scan(text, big, &nul);
	j = json_loads(big, JSON_ALLOW_NUL, err);
	free(big);
	if (j && nul && !marks_only(j)) {
		json_decref(j);
		memset(err, 0, sizeof(*err));
		snprintf(err->text, sizeof(err->text), "\\u0000 is not allowed in a string");
		return NULL;
	}
	return j;
}

json_t *pc_json_load_file(const char *path, json_error_t *err)
{
	char *text = NULL;
	json_t *j;
	int ret = pc_read_file(path, &text, NULL);

	if (ret) {
		memset(err, 0, sizeof(*err));
		snprintf(err->text, sizeof(err->text), "unable to open %s: %s", path, strerror(-ret));
		return NULL;
	}
	j = pc_json_loads(text, err);
	free(text);
	return j;
}

json_t *pc_json_loadf(FILE *f, json_error_t *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	char buf[4096];
	size_t n;
	json_t *j = NULL;

	memset(err, 0, sizeof(*err));
	if (!m) {
		snprintf(err->text, sizeof(err->text), "out of memory");
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, m);
	if (fclose(m) || ferror(f))
		snprintf(err->text, sizeof(err->text), "read error");
	else
		j = pc_json_loads(text, err);
	free(text);
	return j;
}
