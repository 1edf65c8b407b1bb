/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Differences between the kernels paracell.ko builds against. An
 * out-of-tree module has to test the version; every such test lives here.
 */
#ifndef PARACELL_COMPAT_H
#define PARACELL_COMPAT_H

#include <linux/mm.h>
#include <linux/version.h>

/* 6.5 dropped the vmas argument of get_user_pages(). */
static inline long paracell_gup_write(unsigned long start, unsigned long npages)
{
#if KERNEL_VERSION(6, 5, 0) > LINUX_VERSION_CODE
	return get_user_pages(start, npages, FOLL_WRITE, NULL, NULL);
#else
	return get_user_pages(start, npages, FOLL_WRITE, NULL);
#endif
}

/*
 * 6.3 removed zap_page_range(); no exported route to drop a range of an
 * anonymous mapping is known there, so UNBIND reports EOPNOTSUPP and
 * libparacell falls back to MADV_DONTNEED.
 */
#if KERNEL_VERSION(6, 3, 0) > LINUX_VERSION_CODE
#define PARACELL_HAVE_UNBIND 1
static inline void paracell_zap(struct vm_area_struct *vma,
				unsigned long start, unsigned long size)
{
	zap_page_range(vma, start, size);
}
#else
#define PARACELL_HAVE_UNBIND 0
static inline void paracell_zap(struct vm_area_struct *vma,
				unsigned long start, unsigned long size)
{
}
#endif

/* 6.3 made vm_flags read-only behind vm_flags_mod(). */
static inline void paracell_vm_flags_mod(struct vm_area_struct *vma,
					 unsigned long set, unsigned long clear)
{
#if KERNEL_VERSION(6, 3, 0) > LINUX_VERSION_CODE
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#else
	vm_flags_mod(vma, set, clear);
#endif
}

#endif /* PARACELL_COMPAT_H */
