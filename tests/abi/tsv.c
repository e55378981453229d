/*
 * tsv.c - loads the measured data files (tab separated, one record per line).
 *
 * The file is read whole and split in place; rows keep their 1-based line numbers so a
 * report names the exact line of the data it compared against.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"

static int split_row(struct tsv_row *r, char *line, int lineno)
{
    int n = 1;

    for (char *p = line; *p; p++)
        n += *p == '\t';
    r->cols = calloc((size_t)n, sizeof(*r->cols));
    if (!r->cols)
        return -ENOMEM;
    r->line = lineno;
    r->ncols = n;
    n = 0;
    r->cols[n++] = line;
    for (char *p = line; *p; p++) {
        if (*p == '\t') {
            *p = '\0';
            r->cols[n++] = p + 1;
        }
    }
    return 0;
}

int abi_tsv_load(struct tsv *t, const char *name)
{
    char path[4096];
    FILE *f;
    long size;
    int nlines = 0, err = 0;

    memset(t, 0, sizeof(*t));
    snprintf(t->name, sizeof(t->name), "%s", name);
    snprintf(path, sizeof(path), "%s/%s", abi_opt.data_dir, name);
    f = fopen(path, "rb");
    if (!f) {
        err = -errno;
        abi_report_fail(name, 0, "open data file", "%s: %s", path, strerror(-err));
        return err;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        err = -EIO;
        goto out;
    }
    t->buf = malloc((size_t)size + 1);
    if (!t->buf) {
        err = -ENOMEM;
        goto out;
    }
    if (fread(t->buf, 1, (size_t)size, f) != (size_t)size) {
        err = -EIO;
        goto out;
    }
    t->buf[size] = '\0';
    for (long i = 0; i < size; i++)
        nlines += t->buf[i] == '\n';
    t->rows = calloc((size_t)nlines + 1, sizeof(*t->rows));
    if (!t->rows) {
        err = -ENOMEM;
        goto out;
    }
    for (char *line = t->buf, *next; *line; line = next) {
        char *nl = strchr(line, '\n');
        size_t len;

        if (nl) {
            *nl = '\0';
            next = nl + 1;
        } else {
            next = line + strlen(line);
        }
        len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[len - 1] = '\0';
        err = split_row(&t->rows[t->nrows], line, t->nrows + 1);
        if (err)
            goto out;
        t->nrows++;
    }
out:
    fclose(f);
    if (err) {
        if (err != -ENOENT)
            abi_report_fail(name, 0, "read data file", "%s: %s", path, strerror(-err));
        abi_tsv_free(t);
    }
    return err;
}

void abi_tsv_free(struct tsv *t)
{
    for (int i = 0; i < t->nrows; i++)
        free(t->rows[i].cols);
    free(t->rows);
    free(t->buf);
    t->rows = NULL;
    t->buf = NULL;
    t->nrows = 0;
}

int abi_tsv_col(const struct tsv_row *header, const char *name)
{
    for (int i = 0; i < header->ncols; i++)
        if (strcmp(header->cols[i], name) == 0)
            return i;
    return -1;
}

const char *abi_tsv_get(const struct tsv_row *r, int i)
{
    return i >= 0 && i < r->ncols ? r->cols[i] : "";
}
