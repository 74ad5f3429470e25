#pragma once
/// A thin RAII layer over the HDF5 C API: every call capsim makes is wrapped here once, and a failed
/// call becomes an IoError that carries HDF5's own error stack. Results follow the netCDF-4 data model
/// (dimension scales, `units` attributes) so that xarray opens them with engine="h5netcdf".

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace capsim::io {

using hid = std::int64_t; // hid_t, without exposing HDF5's headers to every includer

/// Owns one HDF5 identifier and closes it with the right H5*close function.
class Handle {
public:
    enum class Kind { file, group, dataset, dataspace, property_list, attribute, datatype };
    Handle() = default;
    Handle(hid id, Kind kind) : id_(id), kind_(kind) {}
    Handle(Handle&& other) noexcept : id_(other.id_), kind_(other.kind_) { other.id_ = -1; }
    Handle& operator=(Handle&& other) noexcept;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle();

    hid id() const { return id_; }
    /// Closes now, reporting failure as IoError (the destructor cannot throw).
    void close();

private:
    hid id_ = -1;
    Kind kind_ = Kind::file;
};

/// Something attributes can be attached to: a file's root group, a group or a dataset.
class AttributeTarget {
public:
    void set_attribute(std::string_view name, double value) const;
    void set_attribute(std::string_view name, std::int64_t value) const;
    void set_attribute(std::string_view name, std::string_view value) const;
    void set_attribute(std::string_view name, const char* value) const { set_attribute(name, std::string_view(value)); }
    /// A 1-D integer array attribute (CF flag_values, say).
    void set_attribute(std::string_view name, std::span<const std::int64_t> values) const;
    hid id() const { return handle_.id(); }

    bool has_attribute(std::string_view name) const;
    /// Copies every attribute of `source` here except those named in `except`.
    void copy_attributes_from(const AttributeTarget& source, std::span<const std::string> except) const;
    /// An attribute read back; nullopt when absent. Numbers of either type convert.
    std::optional<std::string> string_attribute(std::string_view name) const;
    std::optional<double> number_attribute(std::string_view name) const;

protected:
    AttributeTarget() = default;
    explicit AttributeTarget(Handle handle) : handle_(std::move(handle)) {}
    Handle handle_;
};

class Dataset : public AttributeTarget {
public:
    explicit Dataset(Handle handle) : AttributeTarget(std::move(handle)) {}
    /// Attaches `scale` as the dimension of this dataset's axis `axis` (so xarray names the axis).
    void attach_dimension(const Dataset& scale, unsigned axis = 0) const;
    /// The length of a 1-D dataset (a dimension or coordinate).
    std::size_t length() const;
    /// Appends values to the end of an extendable dataset (see Group::create_extendable_column and
    /// create_extendable_array): whole rows along the first axis, row-major.
    void append(std::span<const double> values) const;
    void append(std::span<const std::int64_t> values) const;

    /// Makes this dataset the dimension scale `name` (once its values are complete).
    void make_dimension_scale(std::string_view name) const;

    /// The extent of every axis.
    std::vector<std::size_t> shape() const;
    /// Writes or reads the block at `offset` of `count` values per axis (row-major values).
    void write_block(std::span<const std::size_t> offset, std::span<const std::size_t> count,
                     std::span<const double> values) const;
    void write_block(std::span<const std::size_t> offset, std::span<const std::size_t> count,
                     std::span<const std::int64_t> values) const;
    std::vector<double> read_block(std::span<const std::size_t> offset, std::span<const std::size_t> count) const;
    std::vector<double> read_all() const;
    std::vector<std::string> read_strings() const; // a 1-D dataset of strings
};

class Group : public AttributeTarget {
public:
    explicit Group(Handle handle) : AttributeTarget(std::move(handle)) {}
    Group create_group(std::string_view name) const;
    Group open_group(std::string_view name) const;
    Dataset open_dataset(std::string_view name) const;
    /// Whether a link of this name (a group or dataset, "a/b" paths allowed) exists.
    bool has(std::string_view name) const;

    /// A dimension of `length` with no coordinate values (netCDF's "dimension but not variable").
    Dataset create_dimension(std::string_view name, std::size_t length) const;
    /// A 1-D coordinate variable that is also the dimension of its name.
    Dataset create_coordinate(std::string_view name, std::span<const double> values, std::string_view units) const;

    Dataset create_coordinate(std::string_view name, std::span<const std::int64_t> values, std::string_view units) const;

    /// A 1-D coordinate of strings (variable-length UTF-8), also the dimension of its name.
    Dataset create_string_coordinate(std::string_view name, std::span<const std::string> values) const;

    /// An N-D float64 variable whose axes are `dimensions` (1-D dimension datasets), stored
    /// row-major (the last dimension varies fastest), chunked, shuffled and deflated.
    Dataset write_array(std::string_view name, std::span<const double> values,
                        std::initializer_list<const Dataset*> dimensions, std::string_view units,
                        std::string_view long_name) const {
        return write_array(name, values, std::span<const Dataset* const>(dimensions.begin(), dimensions.size()), units,
                           long_name);
    }
    /// The same with the dimensions in a span; no dimensions writes a scalar.
    Dataset write_array(std::string_view name, std::span<const double> values,
                        std::span<const Dataset* const> dimensions, std::string_view units,
                        std::string_view long_name) const;

    /// An N-D variable to be filled block by block with Dataset::write_block: float64 filled with NaN
    /// (or int64 filled with 0) until written, stored in chunks of `chunk` values per axis.
    Dataset create_array(std::string_view name, std::span<const Dataset* const> dimensions, bool integer,
                         std::span<const std::size_t> chunk, std::string_view units, std::string_view long_name) const;

    /// A 1-D float64 dataset stored contiguously, without filters: for scratch data read back in
    /// small pieces, where decompressing whole chunks would cost more than the space saved.
    Dataset write_contiguous(std::string_view name, std::span<const double> values) const;

    /// A 1-D dataset of strings, along `dimension` when one is given (not itself a dimension).
    Dataset write_strings(std::string_view name, std::span<const std::string> values,
                          const Dataset* dimension = nullptr) const;

    /// An empty 1-D column that grows with Dataset::append as rows arrive (chunked, shuffled,
    /// deflated). Its dimension is attached later, once its length is known.
    Dataset create_extendable_column(std::string_view name, bool integer, std::string_view units,
                                     std::string_view long_name) const;

    /// An empty float64 array that grows along its first axis as rows arrive (Dataset::append),
    /// each row of `row_shape`; chunked, shuffled, deflated. Dimensions are attached once known.
    Dataset create_extendable_array(std::string_view name, std::span<const std::size_t> row_shape,
                                    std::string_view units, std::string_view long_name) const;

    /// 1-D chunked, shuffled and deflated columns along `dimension`.
    Dataset write_column(std::string_view name, std::span<const double> values, const Dataset& dimension,
                         std::string_view units, std::string_view long_name) const;
    Dataset write_column(std::string_view name, std::span<const std::int64_t> values, const Dataset& dimension,
                         std::string_view units, std::string_view long_name) const;
};

/// An HDF5 file created (truncating) at a path; the root group is the file itself.
class File : public Group {
public:
    static File create(const std::string& path);
    /// Opens an existing file read-only; IoError if it is missing or not HDF5.
    static File open_read_only(const std::string& path);
    /// IoError unless `path` is a readable HDF5 file, saying why: missing, a folder, unreadable, not HDF5.
    static void check_readable(const std::string& path);
    /// Writes everything buffered to disk, so that the file is complete as it stands.
    void flush() const;
    void close() { handle_.close(); }

private:
    explicit File(Handle handle) : Group(std::move(handle)) {}
};

} // namespace capsim::io
