namespace DeepRacer.Analysis.Internal;

/// <summary>
/// A growable column in native memory, freed explicitly.
/// </summary>
/// <remarks>
/// Parse chunks live here rather than on the managed heap so that, when the chunks are
/// copied into the final table one column at a time, each freed column is returned at
/// once: peak memory is the table plus one column, not the table twice waiting for a GC.
/// </remarks>
internal unsafe struct NativeColumn<T> where T : unmanaged
{
    private T* _items;
    private int _capacity;

    public readonly bool IsAllocated => _items != null;

    public readonly Span<T> AsSpan(int count) => new(_items, count);

    public readonly ref T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref _items[index];
    }

    public void Resize(int capacity)
    {
        _items = (T*)NativeMemory.Realloc(_items, (nuint)capacity * (nuint)sizeof(T));
        _capacity = capacity;
    }

    public void Free()
    {
        if (_items != null)
        {
            NativeMemory.Free(_items);
            _items = null;
            _capacity = 0;
        }
    }
}
