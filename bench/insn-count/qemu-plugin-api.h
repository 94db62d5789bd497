/*
 * The subset of QEMU's stable TCG plugin API, version 1, that
 * insn_count.c uses: the types and functions as QEMU 7.2 declares them in
 * its include/qemu/qemu-plugin.h, written out here because Debian's QEMU
 * package ships the plugin loader but not the header. Only what the plugin
 * calls is declared; the functions themselves live in qemu-system-x86_64,
 * which exports them to the plugins it loads (`nm -D` lists them).
 *
 * API reference: https://www.qemu.org/docs/master/devel/tcg-plugins.html
 */
#ifndef QEMU_PLUGIN_API_H
#define QEMU_PLUGIN_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Symbols the plugin must export: QEMU looks them up with dlsym(). */
#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))

/* The API version the plugin was written against. QEMU 7.2 accepts 0..1 and
 * reads it from the exported integer `qemu_plugin_version`. */
#define QEMU_PLUGIN_VERSION 1

/* An opaque number QEMU gives the plugin at install time. */
typedef uint64_t qemu_plugin_id_t;

/* What QEMU tells the plugin about itself, valid during install only. */
typedef struct qemu_info_t {
    const char *target_name;        /* "x86_64" */
    struct {
        int min;                    /* the oldest API version QEMU accepts */
        int cur;                    /* the newest API version QEMU offers */
    } version;
    bool system_emulation;          /* true for qemu-system-*, false for user mode */
    union {
        struct {
            int smp_vcpus;          /* vCPUs at start */
            int max_vcpus;          /* vCPUs that can ever exist */
        } system;
    };
} qemu_info_t;

/* Opaque handles: a translation block being translated, one of its
 * instructions. Valid only during the translation callback. */
struct qemu_plugin_tb;
struct qemu_plugin_insn;

/* Whether a callback reads or writes guest registers (ours do neither). */
enum qemu_plugin_cb_flags {
    QEMU_PLUGIN_CB_NO_REGS,
    QEMU_PLUGIN_CB_R_REGS,
    QEMU_PLUGIN_CB_RW_REGS,
};

typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);

/* Called once when QEMU loads the plugin (`-plugin file=...,arg=...`);
 * returns 0 on success. argv holds the `name=value` arguments. */
QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                           int argc, char **argv);

/* Translation: cb runs each time QEMU translates a block of guest code. */
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);

/* Execution: cb runs every time the translated instruction executes. */
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);

/* cb runs when QEMU exits (from libc's atexit). */
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

/* Writes a string to QEMU's log: shown with `-d plugin`, to the `-D` file. */
void qemu_plugin_outs(const char *string);

#endif
