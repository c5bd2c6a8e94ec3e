package api

import "slices"

// pageOf cuts one page out of a list held in memory (DESIGN.md §7: lists
// paginate with limit and an opaque cursor). after is the decoded cursor:
// the key of the last item of the previous page, "" for the first page; a
// key no item has is a cursor this service did not issue (400). next is the
// cursor of the following page, "" on the last one.
func pageOf[T any](items []T, key func(T) string, after string, limit int) (page []T, next string, err error) {
	if after != "" {
		i := slices.IndexFunc(items, func(it T) bool { return key(it) == after })
		if i < 0 {
			return nil, "", fieldErr("cursor", "invalid", "is not a cursor this service issued")
		}
		items = items[i+1:]
	}
	if len(items) <= limit {
		return items, "", nil
	}
	items = items[:limit]
	return items, cursorFor(key(items[len(items)-1])), nil
}
