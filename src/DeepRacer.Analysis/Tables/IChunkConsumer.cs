namespace DeepRacer.Analysis.Tables;

/// <summary>
/// Takes one file's rows block by block while the file is parsed: the hook of the streamed loads, which aggregate without
/// a step table (the episode sums, the stability figures).
/// </summary>
internal interface IChunkConsumer
{
    /// <summary>Rows [0, <see cref="StepChunk.Count"/>) of the file's next block, in file order. The loader empties and reuses the chunk afterwards: keep nothing of it.</summary>
    void Consume(StepChunk chunk);

    /// <summary>The file has ended.</summary>
    void Close();
}

/// <summary>Several consumers fed the same blocks, in order.</summary>
internal sealed class ChunkConsumers(params IChunkConsumer[] consumers) : IChunkConsumer
{
    public void Consume(StepChunk chunk)
    {
        foreach (var consumer in consumers)
        {
            consumer.Consume(chunk);
        }
    }

    public void Close()
    {
        foreach (var consumer in consumers)
        {
            consumer.Close();
        }
    }
}
