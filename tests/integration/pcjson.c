// SPDX-License-Identifier: Apache-2.0
/* pcjson: the little JSON tool the integration tests need (jq is not a
 * dependency). PATH is dot-separated keys; a number indexes an array.
 *   pcjson get FILE PATH        value (strings raw, else compact JSON)
 *   pcjson keys FILE [PATH]     sorted object keys, one per line
 *   pcjson len FILE [PATH]      array or object size
 *   pcjson set FILE PATH JSON   replace or add (objects made as needed)
 *   pcjson del FILE PATH
 * FILE "-" is stdin (get, keys, len). Exit 1 when PATH is missing. */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *child(json_t *j, const char *key, int create)
{
	json_t *c;

	if (json_is_array(j) && isdigit((unsigned char)key[0]))
		return json_array_get(j, (size_t)atoi(key));
	if (!json_is_object(j))
		return NULL;
	c = json_object_get(j, key);
	if (!c && create) {
		c = json_object();
		json_object_set_new(j, key, c);
	}
	return c;
}

/* Walk all but the last component; *last gets it. */
static json_t *walk(json_t *j, char *path, char **last, int create)
{
	char *dot;

	while (j && (dot = strchr(path, '.'))) {
		*dot = '\0';
		j = child(j, path, create);
		path = dot + 1;
	}
	*last = path;
	return j;
}

static json_t *lookup(json_t *root, char *path)
{
	char *last;
	json_t *p;

	if (!path || !*path)
		return root;
	p = walk(root, path, &last, 0);
	return p ? child(p, last, 0) : NULL;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
	json_error_t err;
	json_t *root, *v, *p;
	const char *key;
	char *last, *s;
	int ret = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: pcjson get|keys|len|set|del FILE [PATH [JSON]]\n");
		return 2;
	}
	root = !strcmp(argv[2], "-") ? json_loadf(stdin, JSON_DECODE_ANY, &err)
				     : json_load_file(argv[2], JSON_DECODE_ANY, &err);
	if (!root) {
		fprintf(stderr, "pcjson: %s: %s\n", argv[2], err.text);
		return 2;
	}
	if (!strcmp(argv[1], "get") || !strcmp(argv[1], "keys") || !strcmp(argv[1], "len")) {
		v = lookup(root, argc > 3 ? argv[3] : NULL);
		if (!v) {
			ret = 1;
		} else if (argv[1][0] == 'g') {
			if (json_is_string(v)) {
				printf("%s\n", json_string_value(v));
			} else {
				s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
				printf("%s\n", s);
				free(s);
			}
		} else if (argv[1][0] == 'l') {
			printf("%zu\n", json_is_array(v) ? json_array_size(v) : json_object_size(v));
		} else {
			const char *keys[512];
			size_t n = 0, i;

			json_object_foreach(v, key, p)
				if (n < 512)
					keys[n++] = key;
			qsort(keys, n, sizeof(keys[0]), cmp);
			for (i = 0; i < n; i++)
				printf("%s\n", keys[i]);
		}
	} else if ((!strcmp(argv[1], "set") && argc == 5) || (!strcmp(argv[1], "del") && argc == 4)) {
		p = walk(root, argv[3], &last, argv[1][0] == 's');
		if (!p) {
			ret = 1;
		} else if (argv[1][0] == 's') {
			v = json_loads(argv[4], JSON_DECODE_ANY, &err);
			if (!v) {
				fprintf(stderr, "pcjson: value: %s\n", err.text);
				ret = 2;
			} else if (json_is_array(p)) {
				size_t i = (size_t)atoi(last);
				if (i >= json_array_size(p))
					json_array_append_new(p, v);	/* past the end: append */
				else
					json_array_set_new(p, i, v);
			} else {
				json_object_set_new(p, last, v);
			}
		} else if (json_is_object(p)) {
			json_object_del(p, last);
		}
		if (!ret && json_dump_file(root, argv[2], JSON_INDENT(1) | JSON_PRESERVE_ORDER))
			ret = 2;
	} else {
		fprintf(stderr, "pcjson: bad command\n");
		ret = 2;
	}
	json_decref(root);
	return ret;
}
