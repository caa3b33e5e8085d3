namespace Swap.Running;

internal enum Direction
{
    Up,
    Down,
}
