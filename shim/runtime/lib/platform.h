/* SPDX-License-Identifier: Apache-2.0 */
/* Platform selection (DESIGN.md section 6): --platform, else the binary's
 * name (paracell-native), else the config file, else xgate. Nothing in a
 * bundle's config.json or annotations takes part. */
#ifndef PC_PLATFORM_H
#define PC_PLATFORM_H

enum pc_platform { PC_PLATFORM_XGATE, PC_PLATFORM_NATIVE };

#define PC_CONFIG_DEFAULT "/etc/paracell/config.json"
#define PC_CONFIG_ENV "PARACELL_CONFIG"
#define PC_PLATFORM_ANNOTATION "io.paracell.platform"

const char *pc_platform_name(enum pc_platform p);
int pc_platform_parse(const char *name, enum pc_platform *out);
/* flag: --platform value or NULL; argv0: how the binary was called;
 * config: path of the runtime config file (NULL: $PARACELL_CONFIG, else
 * PC_CONFIG_DEFAULT; a missing file is no choice). *source says which won. */
int pc_platform_select(const char *flag, const char *argv0, const char *config,
		       enum pc_platform *out, const char **source);
/* 0 when a container can run on p here; else -errno with a message. */
int pc_platform_check(enum pc_platform p);
/* CPUID.7.0:ECX bits 3 (PKU) and 4 (OSPKE); overridable for tests. */
int pc_cpu_has_pku(void);
extern int (*pc_platform_pku_probe)(void);

#endif
