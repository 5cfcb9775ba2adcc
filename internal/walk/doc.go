// Package walk is how bomrank finds its input files: the one directory
// walker behind both loaders (SBOMs and advisory feeds), and the small file
// helpers they share.
//
// [Paths] turns the paths a user names into the files to read: a named
// file as given, a directory walked recursively (hidden directories such
// as .git are not entered; regular files and symbolic links are listed,
// pipes, sockets and devices are not), each file once. What cannot be
// looked at (a missing path, a directory that cannot be listed) is listed
// too, with its error, so that the loader reports it where it was met.
//
// [Open] (and [ReadFile], and [CheckFD] for a descriptor opened with raw
// system calls) is the one way bomrank opens an input file: SBOMs, feeds,
// zip archives, checksum files, inventories. Regular files only: a named
// pipe, a device or a socket, directly or through a symbolic link, is an
// error wrapping [ErrNotRegular], returned at once (the open does not
// block: O_NONBLOCK, then fstat); a file over the caller's size limit is
// refused before anything is read.
//
// [UnwrapPath] drops the *fs.PathError wrapper the os package puts around
// an error (the loaders name the path themselves), and [TooLarge] is the
// error of a document over a size limit.
package walk
